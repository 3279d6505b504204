import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readDocument } from "../../../src-main/documents/read-document";

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
