import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README's dependency rule, checked: the engine side of the main process (the core, the engine,
 * documents, calibration, evaluation, tasks) never reaches into the UI contract in src-main/api/, and
 * the core in src-main/compresskv/ imports nothing outside itself (no packages, no Node, so no I/O).
 */

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "src-main");
const ENGINE_SIDE = ["compresskv", "engine", "documents", "calibration", "evaluation", "tasks"];

/** Every module specifier a TypeScript source names: static and dynamic imports, re-exports, require. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]);

/** `file imports specifier (why)` for each import `breaks` names a reason for. */
function violations(folders: string[], breaks: (file: string, specifier: string) => string | null): string[] {
  return folders.flatMap((folder) =>
    sourceFiles(join(MAIN, folder)).flatMap((file) =>
      importsOf(readFileSync(file, "utf8")).flatMap((specifier) => {
        const why = breaks(file, specifier);
        return why ? [`${relative(ROOT, file)} imports ${specifier} (${why})`] : [];
      }),
    ),
  );
}

const resolved = (file: string, specifier: string) =>
  specifier.startsWith(".") ? resolve(dirname(file), specifier) : null;

describe("the dependency rule", () => {
  it("finds every kind of import it looks for", () => {
    const source = [
      'import { a } from "../api/contract";',
      'import type { B } from "./b";',
      'export * from "../c";',
      '/* import { x } from "./commented"; */',
      'const d = await import("node:fs");',
      'import "./side-effect";',
      'const e = require("node:child_process");',
    ].join("\n");
    expect(importsOf(source).sort()).toEqual(
      ["../api/contract", "./b", "../c", "node:fs", "./side-effect", "node:child_process"].sort(),
    );
  });

  it("keeps the core, engine, documents, calibration, evaluation and tasks off src-main/api/", () => {
    const api = join(MAIN, "api");
    const found = violations(ENGINE_SIDE, (file, specifier) => {
      const target = resolved(file, specifier);
      return target !== null && inside(target, api) ? "the UI contract" : null;
    });
    expect(found).toEqual([]);
  });

  it("keeps the core to itself: only its own modules, no packages, no Node (so no I/O)", () => {
    const core = join(MAIN, "compresskv");
    const found = violations(["compresskv"], (file, specifier) => {
      const target = resolved(file, specifier);
      if (target === null) return isNodeBuiltin(specifier) ? "Node: I/O" : "a package";
      return inside(target, core) ? null : "outside the core";
    });
    expect(found).toEqual([]);
  });
});
