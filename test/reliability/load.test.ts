import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../models/llama-model";
import { rangesLength } from "../../src-main/engine/compression/position-ranges";
import {
  COMPRESSED,
  fillerDocument,
  probeMissing,
  RESERVOIR_MULTIPLE,
  startModelFixture,
  type ModelFixture,
} from "./engine-fixture";

const skipReason = await probeMissing();
const QUESTIONS = 50;
const MAX_TOKENS = 16;
const TEXT = fillerDocument(200);

let fixture: ModelFixture;

beforeAll(async () => {
  fixture = await startModelFixture("compresskv-load-");
});

afterAll(async () => {
  await fixture?.close();
});

function questions(seed: number): string[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: QUESTIONS }, (_, i) => {
    const word = `w${Math.floor(random.uniform() * 1000)}`;
    return `Question ${i + 1}: where does ${word} appear${" and why".repeat(Math.floor(random.uniform() * 4))}?`;
  });
}

describe.skipIf(skipReason !== undefined)("50 questions in a row on one compressed document session", () => {
  for (const kind of ["compressed", "question-aware", "reservoir"] as const) {
    // A reservoir stays in memory whole (R cells); what each answer sees is the budget + question + answer.
    const held = kind === "reservoir" ? RESERVOIR_MULTIPLE * COMPRESSED.budget : COMPRESSED.budget;
    it(`${kind}: ${QUESTIONS} questions keep the cache within ${kind === "reservoir" ? "the reservoir" : "budget"} + question + answer, one native context, the same answer to a repeated question`, async () => {
      const session = await fixture.open(kind, TEXT);
      expect(session.documentTokens).toBeGreaterThan(4 * COMPRESSED.budget);
      expect(fixture.liveContexts()).toBe(1);
      const asked = questions({ compressed: 1, "question-aware": 2, reservoir: 3 }[kind]);
      const first = await session.ask([], asked[0], { maxTokens: MAX_TOKENS });
      const rssStart = process.memoryUsage().rss;
      let largestExcess = Number.NEGATIVE_INFINITY;
      let peakRss = rssStart;
      for (const question of asked) {
        const answer = await session.ask([], question, { maxTokens: MAX_TOKENS });
        const { cacheCells, promptTokens, documentTokens, generatedTokens, allocatedCells } = answer.stats;
        const questionTokens = promptTokens - documentTokens;
        const headroom = held + questionTokens + generatedTokens;
        expect(cacheCells, question).toBeLessThanOrEqual(headroom);
        for (const layer of answer.stats.compression!.layers) {
          // Each layer sees at most the budget beside the question, whatever the reading.
          expect(rangesLength(layer.visibleRanges), question).toBeLessThanOrEqual(COMPRESSED.budget + questionTokens);
        }
        largestExcess = Math.max(largestExcess, cacheCells - headroom);
        // The context is never grown: its allocation is the one made at open.
        expect(allocatedCells).toBe(first.stats.allocatedCells);
        expect(fixture.liveContexts()).toBe(1);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
      expect((await session.ask([], asked[0], { maxTokens: MAX_TOKENS })).text).toBe(first.text);
      await session.dispose();
      expect(fixture.liveContexts()).toBe(0);
      const growth = (peakRss - rssStart) / 2 ** 20;
      console.log(
        `${kind}: ${QUESTIONS} questions, ${session.documentTokens} document tokens, budget ${COMPRESSED.budget}, ` +
          `held ${held}, cells at most ${largestExcess} over held + question + answer, peak ${session.peakCells} cells, ` +
          `${first.stats.allocatedCells} allocated, RSS growth ${growth.toFixed(0)} MiB`,
      );
      // A leaked context would hold its KV cache and compute buffers; 50 of them would show here.
      expect(growth).toBeLessThan(256);
    }, 300_000);
  }
});
