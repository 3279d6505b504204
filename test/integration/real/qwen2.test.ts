import { describe, expect, it } from "vitest";
import { DEFAULT_COMPRESSION } from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { promptFormatFor } from "../../../src-main/engine/prompt-format";
import { realModelOnPages } from "./real-model-fixture";

/**
 * Qwen2.5 Coder 0.5B Instruct (qwen2 architecture, 24 layers, GQA 14:2): its chat template ends an
 * answer with <|im_end|>, which node-llama-cpp's sequence stops on without yielding it.
 */
const real = realModelOnPages("qwen2.5-coder-0.5b-instruct");
const QUESTION = "What does the function lm do?";

describe.skipIf(real.skip)("Qwen2.5 Coder 0.5B Instruct on R-intro.pdf", () => {
  it("answers with its chat template and reports the end of its answer as such", async () => {
    expect(promptFormatFor(real.engine.model!).name).toBe("chat template (Qwen)");
    const session = await DocumentSession.open(real.engine.model!, real.pages, { answerReserve: 512 });
    try {
      const answer = await session.ask([], QUESTION, { maxTokens: 80 });
      expect(answer.text).toMatch(/linear/i);
      expect(answer.stats.generatedTokens).toBeLessThan(80);
      expect(answer.stats.stopReason).toBe("eos");
    } finally {
      await session.dispose();
    }
  });

  it("compresses with SnapKV through the attention probe", async () => {
    const session = await DocumentSession.open(real.engine.model!, real.pages, {
      compression: { ...DEFAULT_COMPRESSION, method: "snapkv", budget: 256, chunkTokens: 512 },
      answerReserve: 512,
    });
    try {
      const answer = await session.ask([], QUESTION, { maxTokens: 16 });
      expect(answer.stats.compression).toMatchObject({ requestedMethod: "snapkv", method: "snapkv", budget: 256 });
      expect(answer.stats.compression!.fallbackReason).toBeUndefined();
      expect(answer.stats.compression!.layers).toHaveLength(24);
      expect(answer.text.trim().length).toBeGreaterThan(0);
    } finally {
      await session.dispose();
    }
  });
});
