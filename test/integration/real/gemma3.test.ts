import { describe, expect, it } from "vitest";
import { DEFAULT_COMPRESSION } from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { promptFormatFor } from "../../../src-main/engine/prompt-format";
import { realModelOnPages } from "./real-model-fixture";

/**
 * Gemma 3 270M (the base model, no chat template): most of its layers attend within a 512-token
 * sliding window, in llama.cpp's interleaved SWA cache, which the attention probe cannot read yet.
 * It must still answer with the full cache, and a compressed request must say what ran instead.
 */
const real = realModelOnPages("gemma-3-270m");
const QUESTION = "What does the function lm do?";

describe.skipIf(real.skip)("Gemma 3 270M on R-intro.pdf", () => {
  it("continues the pages as plain text and answers past its leading line break", async () => {
    expect(promptFormatFor(real.engine.model!).name).toBe("plain completion (no chat template)");
    const session = await DocumentSession.open(real.engine.model!, real.pages, { answerReserve: 512 });
    try {
      const answer = await session.ask([], QUESTION, { maxTokens: 40 });
      expect(answer.text.trim().length).toBeGreaterThan(0);
      expect(answer.text).toMatch(/\blm\b/);
    } finally {
      await session.dispose();
    }
  });

  it("compresses without the probe and says so: attention methods run as StreamingLLM, with the reason", async () => {
    for (const method of ["snapkv", "compresskv"] as const) {
      const session = await DocumentSession.open(real.engine.model!, real.pages, {
        compression: { ...DEFAULT_COMPRESSION, method, budget: 256, chunkTokens: 512 },
        answerReserve: 512,
      });
      try {
        const answer = await session.ask([], QUESTION, { maxTokens: 16 });
        const report = answer.stats.compression!;
        expect(report).toMatchObject({ requestedMethod: method, method: "streaming-llm", removal: "compact" });
        expect(report.fallbackReason).toMatch(/not a plain KV cache \(sliding-window/);
        expect(answer.stats.cacheCells).toBeLessThanOrEqual(
          256 + answer.stats.promptTokens - answer.stats.documentTokens + 16,
        );
      } finally {
        await session.dispose();
      }
    }
  });
});
