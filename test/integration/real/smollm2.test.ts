import { describe, expect, it } from "vitest";
import { type CompressionSettings, readingModeOf } from "../../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../../src-main/engine/document-session";
import { promptFormatFor } from "../../../src-main/engine/prompt-format";
import {
  pagesCompression as compression,
  positionsOf,
  realModelOnPages,
  restoredStateDifference,
} from "./real-model-fixture";

/**
 * SmolLM2 135M Instruct, a real chat model (llama architecture, GQA 9:3, 30 layers), through the
 * product path: its own chat template, a full cache, streaming, stop and regenerate, then the
 * compressed cache with each kind of method and a saved compressed state.
 */
const real = realModelOnPages("smollm2-135m-instruct");
const QUESTION = "What does the function lm do?";

describe.skipIf(real.skip)("SmolLM2 135M Instruct on R-intro.pdf", () => {
  it("answers from the pages with its own chat template, streaming the answer", async () => {
    expect(promptFormatFor(real.engine.model!).name).toBe("chat template (ChatML)");
    const session = await DocumentSession.open(real.engine.model!, real.pages, { answerReserve: 512 });
    try {
      const deltas: string[] = [];
      const answer = await session.ask([], QUESTION, { maxTokens: 40, onText: (text) => deltas.push(text) });
      expect(deltas.length).toBeGreaterThan(5);
      expect(deltas.join("")).toBe(answer.text);
      // R-intro's lm fits linear models; the answer must come from the document, not be noise.
      expect(answer.text).toMatch(/linear/i);
      expect(answer.stats.documentTokens).toBeGreaterThan(1000);
      expect(answer.stats.compression).toBeUndefined();
      expect(answer.stats.cacheCells).toBe(answer.stats.promptTokens + answer.stats.generatedTokens - 1);
    } finally {
      await session.dispose();
    }
  });

  it("stops when asked, and a regenerated answer is the one a fresh session gives", async () => {
    const session = await DocumentSession.open(real.engine.model!, real.pages, { answerReserve: 512 });
    try {
      const controller = new AbortController();
      let seen = 0;
      const stopped = await session.ask([], QUESTION, {
        maxTokens: 40,
        signal: controller.signal,
        onText: () => {
          if (++seen === 3) controller.abort();
        },
      });
      expect(stopped.stats.stopReason).toBe("cancelled");
      expect(stopped.stats.generatedTokens).toBeLessThan(10);
      const again = await session.ask([], QUESTION, { maxTokens: 24 });
      const fresh = await DocumentSession.open(real.engine.model!, real.pages, { answerReserve: 512 });
      try {
        expect(again.text).toBe((await fresh.ask([], QUESTION, { maxTokens: 24 })).text);
        expect(again.text.startsWith(stopped.text)).toBe(true);
      } finally {
        await fresh.dispose();
      }
    } finally {
      await session.dispose();
    }
  });

  it("compresses with each kind of method, in each reading mode, and says what ran", async () => {
    const runs: { settings: CompressionSettings; ran: string; fallback: boolean; profile?: boolean }[] = [
      // With the calibration shipped in resources/ CompressKV runs itself; without one it says it used SnapKV.
      { settings: compression({ method: "compresskv" }), ran: "compresskv", fallback: false, profile: true },
      // Question-aware, read again for the question (no reservoir).
      { settings: compression({ method: "compresskv", reservoirMultiple: 0 }), ran: "snapkv", fallback: true },
      {
        settings: compression({ method: "compresskv", questionAware: false, plan: "exact" }),
        ran: "compresskv",
        fallback: false,
        profile: true,
      },
      { settings: compression({ method: "snapkv", questionAware: false }), ran: "snapkv", fallback: false },
      { settings: compression({ method: "streaming-llm" }), ran: "streaming-llm", fallback: false },
    ];
    for (const { settings, ran, fallback, profile: calibrated } of runs) {
      const session = await DocumentSession.open(real.engine.model!, real.pages, {
        compression: settings,
        answerReserve: 512,
        profile: calibrated ? real.profile : undefined,
      });
      try {
        const answer = await session.ask([], QUESTION, { maxTokens: 16 });
        const report = answer.stats.compression!;
        const reading = readingModeOf(settings);
        expect(report, settings.method).toMatchObject({
          requestedMethod: settings.method,
          method: ran,
          questionAware: settings.questionAware,
          reading,
          budget: 256,
        });
        // A reservoir of 8 budgets holds these three pages whole (R = N); the other modes hold the budget.
        const held = reading === "reservoir" ? answer.stats.documentTokens : 256;
        expect(report.reservoirCells).toBe(held);
        expect(report.fallbackReason !== undefined, `${settings.method} ${ran}`).toBe(fallback);
        expect(answer.text.trim().length, settings.method).toBeGreaterThan(0);
        expect(report.layers).toHaveLength(30);
        const inDocument = (ranges: number[]) =>
          [...positionsOf(ranges)].filter((p) => p < answer.stats.documentTokens).length;
        // The cache keeps at most the budget of document cells; with the exact plan each layer sees
        // only its own share of them (its budget), with the shared plan every layer sees them all.
        expect(inDocument(report.unionRanges), settings.method).toBeLessThanOrEqual(256);
        if (settings.plan === "exact") {
          for (const layer of report.layers) expect(inDocument(layer.visibleRanges)).toBeLessThanOrEqual(layer.budget);
          expect(new Set(report.layers.map((layer) => layer.budget)).size).toBeGreaterThan(1);
        }
        // The question and answer sit beside the held document cells (in a reservoir, masked but held).
        expect(answer.stats.cacheCells).toBeLessThanOrEqual(
          held + answer.stats.promptTokens - answer.stats.documentTokens + 16,
        );
        expect(session.peakCells).toBeLessThanOrEqual(
          held + 512 + answer.stats.promptTokens - answer.stats.documentTokens,
        );
      } finally {
        await session.dispose();
      }
    }
  }, 600_000);

  it("reopens a saved compressed state with the distribution the session that saved it had", async () => {
    const settings = compression({ method: "snapkv", questionAware: false });
    const { restored, largest } = await restoredStateDifference(real, settings, QUESTION);
    expect(restored).toBe(true);
    expect(largest).toBeLessThan(1e-6);
  });
});
