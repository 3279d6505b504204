import { mkdtemp, open as openFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_COMPRESSION } from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { Engine } from "../../../src-main/engine/engine";
import { AppError } from "../../../src-main/errors/app-error";
import { realModel, rIntroMissing, rIntroPages } from "./real-model-fixture";

/** What a person can get wrong with a real model: a damaged download, a long question, a script split finely. */
const model = realModel("smollm2-135m-instruct");
const skip = "missing" in model ? model.missing : rIntroMissing();

let engine: Engine;
let dir: string;
let pages: string;
const QUESTION = "What does the function lm do?";
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), "compresskv-real-bad-"));
  pages = await rIntroPages(8, 10);
  engine = new Engine();
  await engine.loadModel((model as { path: string }).path);
});

afterAll(async () => {
  await engine?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function answerOn(text: string, maxTokens = 12): Promise<string> {
  const session = await DocumentSession.open(engine.model!, text, { answerReserve: 512 });
  try {
    return (await session.ask([], QUESTION, { maxTokens })).text;
  } finally {
    await session.dispose();
  }
}

describe.skipIf(skip)("bad input with a real model (SmolLM2 135M Instruct)", () => {
  it("refuses a model file cut short after download, and the loaded model answers as before", async () => {
    const before = await answerOn(pages);
    const source = (model as { path: string }).path;
    const cut = join(dir, "SmolLM2-cut.gguf");
    // The first 90 % of the real file, as an interrupted download leaves it.
    const size = Math.floor((await stat(source)).size * 0.9);
    const input = await openFile(source, "r");
    const output = await openFile(cut, "w");
    try {
      const buffer = Buffer.alloc(1 << 20);
      for (let done = 0; done < size; ) {
        const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, size - done), done);
        await output.write(buffer, 0, bytesRead);
        done += bytesRead;
      }
    } finally {
      await input.close();
      await output.close();
    }
    const error = await refusal(engine.loadModel(cut));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("model-load-failed");
    expect((error as AppError).message).toMatch(/truncated/);
    expect(engine.model?.path).toBe(source);
    expect(await answerOn(pages)).toBe(before);
  });

  it("says a question is too long for the room beside the document, and the next question works", async () => {
    const session = await DocumentSession.open(engine.model!, pages, {
      compression: { ...DEFAULT_COMPRESSION, method: "snapkv", budget: 128, chunkTokens: 512 },
      answerReserve: 256,
    });
    try {
      const long = `${pages.slice(0, 2400)}\n\nIn the text above, ${QUESTION}`;
      const error = await refusal(session.ask([], long, { maxTokens: 32 }));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("invalid-request");
      expect((error as AppError).message).toMatch(/^This question is [\d,]+ tokens; .* Ask it in fewer words\.$/);
      const answer = await session.ask([], QUESTION, { maxTokens: 8 });
      expect(answer.stats.generatedTokens).toBeGreaterThan(0);
      expect(answer.stats.compression?.method).toBe("snapkv");
    } finally {
      await session.dispose();
    }
  });

  it("reads and compresses a document in a script its tokenizer splits finely (Thai)", async () => {
    const sentence = "ภาษาอาร์เป็นภาษาสำหรับการคำนวณทางสถิติและกราฟิก ฟังก์ชัน lm ใช้สร้างแบบจำลองเชิงเส้น ";
    const thai = sentence.repeat(20);
    const session = await DocumentSession.open(engine.model!, thai, {
      compression: { ...DEFAULT_COMPRESSION, method: "snapkv", budget: 256, chunkTokens: 512 },
      answerReserve: 256,
    });
    try {
      // More tokens than characters: SmolLM2's vocabulary splits Thai into bytes.
      expect(session.documentTokens).toBeGreaterThan(thai.length);
      const answer = await session.ask([], "ฟังก์ชัน lm ใช้ทำอะไร", { maxTokens: 12 });
      // Read into a reservoir of 8 budgets (the default), from which the answer keeps the budget.
      const report = answer.stats.compression!;
      expect(report).toMatchObject({ method: "snapkv", budget: 256, reading: "reservoir", reservoirCells: 2048 });
      const question = answer.stats.promptTokens - answer.stats.documentTokens;
      expect(answer.stats.cacheCells).toBeLessThanOrEqual(2048 + question + 12);
      for (const layer of report.layers) expect(layer.visible).toBeLessThanOrEqual(256 + question);
      expect(answer.stats.generatedTokens).toBeGreaterThan(0);
    } finally {
      await session.dispose();
    }
  }, 300_000);
});
