import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { bundledProfilesDataDir, type CalibrationProfile, findProfile } from "../../../src-main/calibration";
import { readDocument } from "../../../src-main/documents/read-document";
import {
  type CompressionSettings,
  DEFAULT_COMPRESSION,
} from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { Engine } from "../../../src-main/engine/engine";
import { getRuntime } from "../../../src-main/engine/llama-runtime";
import { probeAvailability } from "../../../src-main/engine/probe";

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
  /** The calibration shipped for this model file (resources/calibration/profiles), if there is one. */
  readonly profile: CalibrationProfile | undefined;
  /** A temporary folder of the test file's own (saved states), removed after its tests. */
  readonly dir: string;
}

/** Loads the model before the file's tests and disposes of it after them; call at the top of a test file. */
export function realModelOnPages(id: string): RealModelOnPages {
  const model = realModel(id);
  const state: {
    skip: string | undefined;
    engine: Engine;
    pages: string;
    profile: CalibrationProfile | undefined;
    dir: string;
  } = {
    skip: "missing" in model ? model.missing : rIntroMissing(),
    engine: new Engine(),
    pages: "",
    profile: undefined,
    dir: "",
  };
  beforeAll(async () => {
    if (state.skip) return;
    if (inCi && !probeAvailability(await getRuntime()).available) {
      throw new Error("CI needs the patched addon with the attention probe");
    }
    const path = (model as { path: string }).path;
    state.dir = await mkdtemp(join(tmpdir(), `compresskv-${id}-`));
    state.pages = await rIntroPages(8, 10);
    await state.engine.loadModel(path);
    state.profile = await findProfile([bundledProfilesDataDir(resolve("resources"))], path);
  });
  afterAll(async () => {
    await state.engine.dispose();
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}

/** Compression of R-intro's pages in these tests: 256 cells, read in 512-token chunks, and `overrides`. */
export const pagesCompression = (overrides: Partial<CompressionSettings>): CompressionSettings => ({
  ...DEFAULT_COMPRESSION,
  budget: 256,
  chunkTokens: 512,
  ...overrides,
});

/** Every position of flat [start, end) pairs. */
export function* positionsOf(ranges: ArrayLike<number>): Generator<number> {
  for (let i = 0; i < ranges.length; i += 2) for (let p = ranges[i]; p < ranges[i + 1]; p++) yield p;
}

/**
 * Saves a session's compressed state, reopens it in a new session and compares the next-token
 * distributions of `question` before and after: whether it was restored, and the largest difference.
 */
export async function restoredStateDifference(
  real: RealModelOnPages,
  settings: CompressionSettings,
  question: string,
): Promise<{ restored: boolean; largest: number }> {
  const folder = join(real.dir, "state");
  const options = { compression: settings, answerReserve: 512 };
  const original = await DocumentSession.open(real.engine.model!, real.pages, options);
  let expected: Awaited<ReturnType<DocumentSession["nextTokenProbabilities"]>>;
  try {
    await original.saveState(folder);
    expected = await original.nextTokenProbabilities([], question);
  } finally {
    await original.dispose();
  }
  const restored = await DocumentSession.open(real.engine.model!, real.pages, { ...options, restoreFrom: folder });
  try {
    const actual = await restored.nextTokenProbabilities([], question);
    let largest = 0;
    for (const [token, p] of expected) largest = Math.max(largest, Math.abs((actual.get(token) ?? -1) - p));
    return { restored: restored.restored, largest };
  } finally {
    await restored.dispose();
  }
}
