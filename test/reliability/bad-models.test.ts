import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src-main/api/app-error";
import type { DocumentSession } from "../../src-main/engine/document-session";
import { Engine } from "../../src-main/engine/engine";
import { makeTinyModel } from "../models/make-model";
import { writeHugeSparseGguf } from "./huge-gguf";

let dir: string;
let engine: Engine;
let goodPath: string;
let baseline: string;

const DOCUMENT = "The harbour master logged the ship Aurora at dawn and the ship Boreas at dusk.";
const QUESTION = "Which ship came at dawn?";

async function session(): Promise<DocumentSession> {
  return engine.exclusive(() => engine.sessionFor("harbour", DOCUMENT, { answerReserve: 128 }));
}

async function answer(): Promise<string> {
  const open = await session();
  return engine.exclusive(async () => (await open.ask([], QUESTION, { maxTokens: 8 })).text);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-bad-models-"));
  goodPath = await makeTinyModel(join(dir, "good.gguf"), 5);
  engine = new Engine();
  await engine.loadModel(goodPath);
  baseline = await answer();
});

afterAll(async () => {
  await engine?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A bad model file: how to make it, and the error code and words loading it must give. */
interface BadModel {
  name: string;
  make(path: string, good: Buffer): Promise<unknown>;
  code: string;
  says: RegExp;
}

const patched = (good: Buffer, at: number, value: Buffer) =>
  Buffer.concat([good.subarray(0, at), value, good.subarray(at + value.length)]);
const u32 = (value: number) => Buffer.from(Uint32Array.of(value).buffer);
const u64 = (value: bigint) => Buffer.from(BigUint64Array.of(value).buffer);

const BAD_MODELS: BadModel[] = [
  {
    name: "notes.gguf",
    make: (p) => writeFile(p, "These are my notes, not a model."),
    code: "not-gguf",
    says: /not a GGUF model file/,
  },
  { name: "empty.gguf", make: (p) => writeFile(p, ""), code: "not-gguf", says: /not a GGUF model file/ },
  {
    name: "picture.gguf",
    make: (p) => writeFile(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    code: "not-gguf",
    says: /not a GGUF/,
  },
  {
    name: "safetensors.gguf",
    make: (p) => writeFile(p, Buffer.concat([u64(16n), Buffer.from('{"a":{"dtype":"F32"}}')])),
    code: "not-gguf",
    says: /not a GGUF/,
  },
  ...[5, 8, 16, 24, 64, 1_000, 4_000].map(
    (cut): BadModel => ({
      name: `header-cut-at-${cut}.gguf`,
      make: (p, good) => writeFile(p, good.subarray(0, cut)),
      code: "model-load-failed",
      says: /damaged GGUF file: the file ends inside|truncated/,
    }),
  ),
  ...[0.5, 0.9, 0.999].map(
    (fraction): BadModel => ({
      name: `data-cut-at-${fraction}.gguf`,
      make: (p, good) => writeFile(p, good.subarray(0, Math.floor(good.length * fraction))),
      code: "model-load-failed",
      says: /truncated: the tensors need \d+ bytes but the file has \d+/,
    }),
  ),
  {
    name: "last-byte-missing.gguf",
    make: (p, good) => writeFile(p, good.subarray(0, good.length - 1)),
    code: "model-load-failed",
    says: /truncated/,
  },
  {
    name: "version-1.gguf",
    make: (p, good) => writeFile(p, patched(good, 4, u32(1))),
    code: "model-load-failed",
    says: /GGUF version 1 is not supported/,
  },
  {
    name: "version-99.gguf",
    make: (p, good) => writeFile(p, patched(good, 4, u32(99))),
    code: "model-load-failed",
    says: /version 99/,
  },
  {
    name: "trillion-tensors.gguf",
    make: (p, good) => writeFile(p, patched(good, 8, u64(1n << 40n))),
    code: "model-load-failed",
    says: /claims \d+ tensors/,
  },
  {
    name: "huge-metadata-count.gguf",
    make: (p, good) => writeFile(p, patched(good, 16, u64(1n << 62n))),
    code: "model-load-failed",
    says: /damaged GGUF/,
  },
  {
    name: "several-TiB.gguf",
    make: (p) => writeHugeSparseGguf(p),
    code: "model-too-large",
    says: /needs about \d+\.\d GiB of memory; this computer has/,
  },
  { name: "a-folder.gguf", make: (p) => mkdir(p), code: "model-not-found", says: /can't be read/ },
  { name: "missing.gguf", make: async () => undefined, code: "model-not-found", says: /can't be read/ },
];

describe("bad model files are refused and the loaded model keeps working", () => {
  it(`refuses ${BAD_MODELS.length} bad model files with their reasons; after each the previous model answers as before`, async () => {
    expect(baseline.length).toBeGreaterThan(0);
    const good = await readFile(goodPath);
    for (const bad of BAD_MODELS) {
      const path = join(dir, bad.name);
      await bad.make(path, good);
      const rssBefore = process.memoryUsage().rss;
      const refusal = await engine.loadModel(path).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal, bad.name).toBeInstanceOf(AppError);
      expect((refusal as AppError).code, bad.name).toBe(bad.code);
      expect((refusal as AppError).message, bad.name).toMatch(bad.says);
      // Refused from the header: nothing near the claimed size was allocated.
      expect(process.memoryUsage().rss - rssBefore, bad.name).toBeLessThan(512 * 2 ** 20);
      expect(engine.model?.path, bad.name).toBe(goodPath);
      expect(await answer(), bad.name).toBe(baseline);
      await rm(path, { recursive: true, force: true });
    }
  });

  it("loads another good model after the refusals, and the first one again (same answer as before)", async () => {
    const other = await makeTinyModel(join(dir, "other.gguf"), 6);
    await engine.loadModel(other);
    expect(engine.model?.path).toBe(other);
    await engine.loadModel(goodPath);
    expect(await answer()).toBe(baseline);
  });
});
