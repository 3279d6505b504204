import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src-main/documents/read-document";
import { Engine } from "../../src-main/engine/engine";
import { makeNumberedPdf } from "../fixtures/pdf-writer";
import { makeTinyModel } from "../models/make-model";

let dir: string;
let engine: Engine;
let modelPath: string;
let documentText: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-session-"));
  modelPath = await makeTinyModel(join(dir, "tiny.gguf"), 1);
  documentText = (await readDocument("ships.pdf", makeNumberedPdf(4))).text;
  engine = new Engine();
  await engine.loadModel(modelPath);
});

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function askFresh(history: { question: string; answer: string }[], question: string, maxTokens: number) {
  const fresh = new Engine();
  try {
    await fresh.loadModel(modelPath);
    return await fresh.exclusive(async () =>
      (await fresh.sessionFor("doc", documentText)).ask(history, question, { maxTokens }),
    );
  } finally {
    await fresh.dispose();
  }
}

describe("a full-cache document session", () => {
  it("streams an answer, cancels mid-stream, then answers again on the same session", async () => {
    const reference = await askFresh([], "Which ship was logged?", 24);
    expect(reference.stats.generatedTokens).toBe(24);

    const progress: number[] = [];
    const chunks: string[] = [];
    const controller = new AbortController();
    const cancelled = await engine.exclusive(async () => {
      const session = await engine.sessionFor("doc", documentText, {
        chunkTokens: 256,
        onProgress: (p) => p.phase === "prefill" && progress.push(p.doneTokens),
      });
      return session.ask([], "Which ship was logged?", {
        maxTokens: 24,
        signal: controller.signal,
        onText: (text) => {
          chunks.push(text);
          if (chunks.length === 4) controller.abort();
        },
      });
    });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(cancelled.stats.documentTokens);
    expect(cancelled.stats.stopReason).toBe("cancelled");
    expect(cancelled.text).toBe(chunks.join(""));
    expect(reference.text.startsWith(cancelled.text)).toBe(true);
    expect(cancelled.stats.generatedTokens).toBeLessThan(24);

    const streamed: string[] = [];
    const again = await engine.exclusive(async () =>
      (await engine.sessionFor("doc", documentText)).ask([], "Which ship was logged?", {
        maxTokens: 24,
        onText: (text) => streamed.push(text),
      }),
    );
    expect(streamed.length).toBeGreaterThan(1);
    expect(again.text).toBe(streamed.join(""));
    expect(again.text).toBe(reference.text);
    // Only the question was evaluated again: the document stayed in the cache.
    expect(again.stats.promptTokens).toBe(reference.stats.promptTokens);
    expect(again.stats.cacheCells).toBe(reference.stats.cacheCells);
  });

  it("continues a chat from its history exactly as a fresh session would", async () => {
    const first = await engine.exclusive(async () =>
      (await engine.sessionFor("doc", documentText)).ask([], "Which ship was logged?", { maxTokens: 12 }),
    );
    const history = [{ question: "Which ship was logged?", answer: first.text }];
    const followUp = await engine.exclusive(async () =>
      (await engine.sessionFor("doc", documentText)).ask(history, "And on page 3?", { maxTokens: 12 }),
    );
    const fresh = await askFresh(history, "And on page 3?", 12);
    expect(followUp.text).toBe(fresh.text);
    expect(followUp.stats.promptTokens).toBeGreaterThan(first.stats.promptTokens);
  });

  it("refuses a file that is not GGUF and keeps the loaded model working", async () => {
    const notGguf = join(dir, "notes.gguf");
    await writeFile(notGguf, "this is a text file, not a model");
    await expect(engine.loadModel(notGguf)).rejects.toMatchObject({
      code: "not-gguf",
      message: "notes.gguf is not a GGUF model file. Open a .gguf file (llama.cpp format).",
    });
    const truncated = join(dir, "truncated.gguf");
    await writeFile(truncated, Buffer.from("GGUF\u0003\u0000\u0000\u0000garbage"));
    await expect(engine.loadModel(truncated)).rejects.toMatchObject({ code: "model-load-failed" });
    expect(engine.model?.path).toBe(modelPath);
    const answer = await engine.exclusive(async () =>
      (await engine.sessionFor("doc", documentText)).ask([], "Still there?", { maxTokens: 4 }),
    );
    expect(answer.stats.generatedTokens).toBeGreaterThan(0);
  });
});
