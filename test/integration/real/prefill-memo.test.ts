import { describe, expect, it } from "vitest";
import type { CompressionSettings } from "../../../src-main/engine/compression/compression-settings";
import { PrefillMemo } from "../../../src-main/engine/compression/prefill-memo";
import { type Answer, DocumentSession } from "../../../src-main/engine/document-session";
import { pagesCompression, realModelOnPages } from "./real-model-fixture";

/**
 * The evaluation grid reads each item's prompt once and loads it for every other method and budget.
 * That is only honest if a session that loads the reading answers exactly as one that evaluates it:
 * same kept cells in every layer, same answer, same next-token distribution.
 */
const real = realModelOnPages("smollm2-135m-instruct");
const QUESTION = "How do you assign a value to a variable in R?";

/**
 * Each condition, read in one chunk and without a reservoir (as the evaluation reads), with the state loads it makes when it comes
 * after the ones above it: a question-aware session reads the document, then the question, once for the
 * next-token distribution and once for the answer; a question-agnostic one reads the document once.
 */
const CONDITIONS: [Partial<CompressionSettings>, number][] = [
  // Needs no attention, yet with a memo it records every head for the methods after it.
  [{ method: "streaming-llm" }, 2],
  [{ method: "snapkv" }, 4],
  [{ method: "compresskv", plan: "exact" }, 4],
  // The document's reading above captured nothing: this one captures its end, and records it.
  [{ method: "snapkv", questionAware: false }, 0],
  [{ method: "compresskv", questionAware: false }, 1],
];

async function answerOf(settings: CompressionSettings, memo?: PrefillMemo) {
  const session = await DocumentSession.open(real.engine.model!, real.pages, {
    compression: settings,
    profile: real.profile,
    answerReserve: 256,
    ...(memo ? { prefillMemo: memo } : {}),
  });
  try {
    const probabilities = await session.nextTokenProbabilities([], QUESTION);
    const answer = await session.ask([], QUESTION, { maxTokens: 16 });
    return { probabilities, answer };
  } finally {
    await session.dispose();
  }
}

function keptSets(answer: Answer) {
  const report = answer.stats.compression!;
  return { union: report.unionRanges, layers: report.layers.map((layer) => layer.visibleRanges) };
}

describe.skipIf(real.skip)("a prefill memo shared by sessions that compress the same prompt differently", () => {
  it("gives every method the cells, answer and distribution it gets when it reads the prompt itself", async () => {
    expect(real.profile).toBeDefined();
    const memo = await PrefillMemo.create();
    try {
      for (const [overrides, loads] of CONDITIONS) {
        const settings = pagesCompression({ chunkTokens: 4096, reservoirMultiple: 0, ...overrides });
        const alone = await answerOf(settings);
        const hitsBefore = memo.hits;
        const shared = await answerOf(settings, memo);
        expect(memo.hits - hitsBefore).toBe(loads);
        expect(alone.answer.stats.compression!.method).toBe(settings.method);
        expect(keptSets(shared.answer)).toEqual(keptSets(alone.answer));
        expect(shared.answer.text).toBe(alone.answer.text);
        expect([...shared.probabilities.entries()]).toEqual([...alone.probabilities.entries()]);
      }
    } finally {
      await memo.dispose();
    }
  }, 600_000);
});
