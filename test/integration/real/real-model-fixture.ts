import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { readDocument } from "../../../src-main/documents/read-document";
import { Engine } from "../../../src-main/engine/engine";

/** The real models scripts/fetch-models.mjs puts under .cache/models, by their id in the manifest. */
interface PackagedModel {
  id: string;
  file: string;
}

const MANIFEST = resolve("resources/models/packaged-models.json");
const MODELS_DIR = resolve(".cache/models");
/** Debian's r-doc-pdf: "An Introduction to R", 113 pages of real prose and code. */
export const R_INTRO_PDF = "/usr/share/R/doc/manual/R-intro.pdf";

const inCi = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());

/**
 * The path of a fetched real model, or a reason it is missing. In CI a missing model is a failure
 * (CI fetches them first), locally the tests that need it skip with the reason.
 */
export function realModel(id: string): { path: string } | { missing: string } {
  const models = (JSON.parse(readFileSync(MANIFEST, "utf8")) as { models: PackagedModel[] }).models;
  const model = models.find((candidate) => candidate.id === id);
  if (!model) throw new Error(`no model ${id} in ${MANIFEST}`);
  const path = join(MODELS_DIR, model.file);
  if (existsSync(path)) return { path };
  const missing = `${model.file} is not in .cache/models (npm run fetch-models)`;
  if (inCi) throw new Error(`CI needs the real test models: ${missing}`);
  return { missing };
}

export function rIntroMissing(): string | undefined {
  if (existsSync(R_INTRO_PDF)) return undefined;
  const missing = `${R_INTRO_PDF} is missing (apt-get install r-doc-pdf)`;
  if (inCi) throw new Error(`CI needs ${missing}`);
  return missing;
}

/** The text of R-intro.pdf's pages `first`-`last`, read by the app's own PDF reader. */
export async function rIntroPages(first: number, last: number): Promise<string> {
  const document = await readDocument("R-intro.pdf", new Uint8Array(await readFile(R_INTRO_PDF)));
  return document.text.slice(document.pages[first - 1].start, document.pages[last - 1].end);
}

/** One real model loaded in an engine for a test file, with R-intro.pdf's pages 8-10 (about 1,700 tokens). */
export interface RealModelOnPages {
  /** Why the file's tests can't run here (a missing model or R-intro.pdf), else undefined. */
  readonly skip: string | undefined;
  readonly engine: Engine;
  readonly pages: string;
}

/** Loads the model before the file's tests and disposes of it after them; call at the top of a test file. */
export function realModelOnPages(id: string): RealModelOnPages {
  const model = realModel(id);
  const state = { skip: "missing" in model ? model.missing : rIntroMissing(), engine: new Engine(), pages: "" };
  beforeAll(async () => {
    if (state.skip) return;
    state.pages = await rIntroPages(8, 10);
    await state.engine.loadModel((model as { path: string }).path);
  });
  afterAll(async () => {
    await state.engine.dispose();
  });
  return state;
}
