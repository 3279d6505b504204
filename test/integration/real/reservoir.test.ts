import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CompressionSettings,
  DEFAULT_COMPRESSION,
} from "../../../src-main/engine/compression/compression-settings";
import { rangesLength } from "../../../src-main/engine/compression/position-ranges";
import { type Answer, DocumentSession, type OpenSessionOptions } from "../../../src-main/engine/document-session";
import type { ConversationTurn } from "../../../src-main/engine/prompt-format";
import { realModelOnPages } from "./real-model-fixture";

/**
 * The reservoir reading mode on SmolLM2 135M Instruct and R-intro.pdf pages 8-10 (about 1,800 tokens):
 * the document is read once into R = 4 x 256 cells; each question keeps 256 of them by its own attention.
 * A second question, a question after a cancelled one and a question after a restart must each get
 * exactly the answer a freshly read reservoir gives.
 */
const real = realModelOnPages("smollm2-135m-instruct");
const BUDGET = 256;
const RESERVOIR = 4 * BUDGET;
const FIRST = "What does the function lm do?";
const SECOND = "How do you quit R?";
const MAX_TOKENS = 24;

const reservoir = (overrides: Partial<CompressionSettings> = {}): CompressionSettings => ({
  ...DEFAULT_COMPRESSION,
  method: "compresskv",
  budget: BUDGET,
  reservoirMultiple: RESERVOIR / BUDGET,
  chunkTokens: 512,
  ...overrides,
});

async function withSession<T>(
  settings: CompressionSettings,
  use: (session: DocumentSession) => Promise<T>,
  options: OpenSessionOptions = {},
): Promise<T> {
  const session = await DocumentSession.open(real.engine.model!, real.pages, {
    compression: settings,
    profile: real.profile,
    ...options,
  });
  try {
    return await use(session);
  } finally {
    await session.dispose();
  }
}

const askOf = (session: DocumentSession, question: string, history: ConversationTurn[] = []) =>
  session.ask(history, question, { maxTokens: MAX_TOKENS });

/** What a freshly read reservoir answers, per plan. */
const fresh = new Map<string, Answer>();

// Each test reads the pages once or twice (30-90 s on 2 busy cores).
describe.skipIf(real.skip)("reservoir reading on SmolLM2", { timeout: 300_000 }, () => {
  for (const plan of ["shared", "exact"] as const) {
    it(`answers a second question exactly as a fresh reservoir does (${plan} plan)`, async () => {
      const settings = reservoir({ plan });
      const alone = await withSession(settings, (session) => askOf(session, SECOND));
      fresh.set(plan, alone);
      const [first, second] = await withSession(settings, async (session) => [
        await askOf(session, FIRST),
        await askOf(session, SECOND),
      ]);
      expect(second.text).toBe(alone.text);
      expect(second.stats.generatedTokens).toBe(alone.stats.generatedTokens);
      expect(first.text).not.toBe(second.text);
      for (const answer of [first, second]) {
        const report = answer.stats.compression!;
        expect(report).toMatchObject({ reading: "reservoir", reservoirCells: RESERVOIR, budget: BUDGET, plan });
        expect(report.method).toBe("compresskv");
        // The reservoir holds R cells; each layer of the answer sees at most B of them beside the question.
        expect(rangesLength(report.reservoirRanges!)).toBe(RESERVOIR);
        const questionTokens = answer.stats.promptTokens - answer.stats.documentTokens;
        for (const layer of report.layers) {
          const visibleDocument = rangesLength(clipRanges(layer.visibleRanges, answer.stats.documentTokens));
          expect(visibleDocument).toBeLessThanOrEqual(BUDGET);
          expect(layer.visible).toBeLessThanOrEqual(BUDGET + questionTokens);
        }
        // Masked, not removed: the cache still holds the reservoir, the question and the answer.
        expect(answer.stats.cacheCells).toBeGreaterThanOrEqual(RESERVOIR + questionTokens);
      }
      // The two questions keep different cells of the same reservoir.
      expect(first.stats.compression!.unionRanges).not.toEqual(second.stats.compression!.unionRanges);
    });
  }

  it("keeps the reservoir through a question cancelled mid-answer", async () => {
    const controller = new AbortController();
    const [cancelled, next] = await withSession(reservoir(), async (session) => [
      await session.ask([], FIRST, {
        maxTokens: MAX_TOKENS,
        signal: controller.signal,
        onText: () => controller.abort(),
      }),
      await askOf(session, SECOND),
    ]);
    expect(cancelled.stats.stopReason).toBe("cancelled");
    expect(next.text).toBe(fresh.get("shared")!.text);
  });

  it("restores the reservoir from disk and answers as before the restart", async () => {
    const folder = join(real.dir, "state");
    const before = await withSession(reservoir(), (session) => askOf(session, SECOND), { saveTo: folder });
    const after = await withSession(
      reservoir(),
      async (session) => {
        expect(session.restored).toBe(true);
        return askOf(session, SECOND);
      },
      { restoreFrom: folder },
    );
    expect(before.text).toBe(fresh.get("shared")!.text);
    expect(after.text).toBe(before.text);
    expect(after.stats.compression!.reservoirCells).toBe(RESERVOIR);
  });

  it("compresses a chat history past its share and drops the oldest turns that no longer fit", async () => {
    const long = "R is a language and environment for statistical computing and graphics. ".repeat(8);
    const history: ConversationTurn[] = [
      { question: "What is R?", answer: long },
      { question: "And S?", answer: long },
    ];
    await withSession(reservoir(), async (session) => {
      const short = await askOf(session, SECOND, [{ question: "Hi", answer: "Hello." }]);
      expect(short.stats.compression!.history).toMatchObject({ handling: "kept", droppedTurns: 0 });
      const grown = await askOf(session, SECOND, history);
      const report = grown.stats.compression!;
      expect(report.history).toMatchObject({ handling: "compressed", shareCells: BUDGET / 4, droppedTurns: 0 });
      expect(report.history!.tokens).toBeGreaterThan(BUDGET / 4);
      // Within the budget: the history competes with the document for its cells; only the question is beside them.
      const questionTokens = grown.stats.promptTokens - grown.stats.documentTokens - report.history!.tokens;
      for (const layer of report.layers) expect(layer.visible).toBeLessThanOrEqual(BUDGET + questionTokens);
    });
    // A small room beside the document (llama.cpp rounds the context up a little): the oldest turns go.
    const longChat = [...history, ...history, ...history];
    await withSession(
      reservoir(),
      async (session) => {
        const answer = await askOf(session, SECOND, longChat);
        const dropped = answer.stats.compression!.history!.droppedTurns;
        expect(dropped).toBeGreaterThanOrEqual(1);
        expect(dropped).toBeLessThan(longChat.length);
        expect(answer.stats.promptTokens + MAX_TOKENS).toBeLessThanOrEqual(answer.stats.allocatedCells);
        expect(answer.text.length).toBeGreaterThan(0);
      },
      { answerReserve: 200 },
    );
  });

  it("selects without attention for StreamingLLM, and the full cache is the limit R = N", async () => {
    await withSession(reservoir({ method: "streaming-llm" }), async (session) => {
      const answer = await askOf(session, SECOND);
      const report = answer.stats.compression!;
      expect(report).toMatchObject({ reading: "reservoir", method: "streaming-llm", reservoirCells: RESERVOIR });
      // Sinks and the most recent cells of the reservoir, then the question.
      expect(report.unionRanges.slice(0, 2)).toEqual([0, DEFAULT_COMPRESSION.sinks]);
    });
    await withSession(reservoir({ reservoirMultiple: 1_000 }), async (session) => {
      const answer = await askOf(session, SECOND);
      expect(answer.stats.compression!.reservoirCells).toBe(session.documentTokens);
      expect(rangesLength(answer.stats.compression!.reservoirRanges!)).toBe(session.documentTokens);
    });
  });
});

/** `ranges` cut at `end`. */
function clipRanges(ranges: number[], end: number): number[] {
  const clipped: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i] >= end) break;
    clipped.push(ranges[i], Math.min(ranges[i + 1], end));
  }
  return clipped;
}
