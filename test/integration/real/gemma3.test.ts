import { describe, expect, it } from "vitest";
import type { CompressionSettings } from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { promptFormatFor } from "../../../src-main/engine/prompt-format";
import {
  pagesCompression as compression,
  positionsOf,
  realModelOnPages,
  restoredStateDifference,
} from "./real-model-fixture";

/**
 * Gemma 3 270M (the base model, no chat template): 15 of its 18 layers attend within a 512-token
 * sliding window, in llama.cpp's interleaved SWA cache. The attention methods compress the global
 * layers (5, 11, 17) by the method; the window layers keep the window llama.cpp holds for them, and
 * the report says which layer is which.
 */
const real = realModelOnPages("gemma-3-270m");
const QUESTION = "What does the function lm do?";
/** Gemma 3 270M: every sixth layer (5, 11, 17) is global, the others keep a 512-token window. */
const WINDOW_LAYERS = Array.from({ length: 18 }, (_, layer) => layer % 6 !== 5);

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

  it("compresses the global layers by the method (no fallback); window layers keep their window", async () => {
    const runs: { settings: CompressionSettings; calibrated?: boolean; removal?: "compact" }[] = [
      { settings: compression({ method: "snapkv" }) },
      { settings: compression({ method: "compresskv", plan: "exact" }), calibrated: true },
      { settings: compression({ method: "compresskv", questionAware: false }), calibrated: true },
      { settings: compression({ method: "pyramidkv" }), removal: "compact" },
    ];
    for (const { settings, calibrated, removal } of runs) {
      const name = `${settings.method} ${settings.plan} ${removal ?? ""}`;
      const session = await DocumentSession.open(real.engine.model!, real.pages, {
        compression: settings,
        answerReserve: 512,
        profile: calibrated ? real.profile : undefined,
        removal,
      });
      try {
        const answer = await session.ask([], QUESTION, { maxTokens: 16 });
        const report = answer.stats.compression!;
        expect(report, name).toMatchObject({
          requestedMethod: settings.method,
          method: settings.method,
          removal: removal ?? "keep-positions",
        });
        expect(report.fallbackReason, name).toBeUndefined();
        expect(answer.stats.generatedTokens).toBeGreaterThan(0);
        expect(report.layers.map((layer) => layer.window)).toEqual(WINDOW_LAYERS);
        const inDocument = (ranges: number[]) =>
          [...positionsOf(ranges)].filter((p) => p < answer.stats.documentTokens).length;
        expect(inDocument(report.unionRanges), name).toBeLessThanOrEqual(256);
        // The pass that made the cache: with the question (question-aware), or at the document's end.
        const end = settings.questionAware ? answer.stats.promptTokens : answer.stats.documentTokens;
        report.layers.forEach((layer, l) => {
          if (layer.window) {
            // The last 512 positions, as llama.cpp's window cache holds them.
            expect(layer, `${name} layer ${l}`).toMatchObject({
              budget: 512,
              visible: 512,
              retainedMass: null,
              visibleRanges: [end - 512, end],
            });
          } else {
            const own = inDocument(layer.visibleRanges);
            expect(own, `${name} layer ${l}`).toBeLessThanOrEqual(settings.plan === "exact" ? layer.budget : 256);
            // The method chose beyond the window: some kept positions lie before the last 512.
            expect([...positionsOf(layer.visibleRanges)].some((p) => p < end - 512)).toBe(true);
          }
        });
        if (settings.plan === "exact") {
          const globalBudgets = report.layers.filter((layer) => !layer.window).map((layer) => layer.budget);
          expect(new Set(globalBudgets).size, "CompressKV's budgets follow its layer weights").toBeGreaterThan(1);
        }
      } finally {
        await session.dispose();
      }
    }
  });

  it("reopens a saved compressed state (both caches) with the distribution the session that saved it had", async () => {
    const settings = compression({ method: "snapkv", questionAware: false });
    const { restored, largest } = await restoredStateDifference(real, settings, QUESTION);
    expect(restored).toBe(true);
    expect(largest).toBeLessThan(1e-6);
  });
});
