import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../models/llama-model";
import { COMPRESSED, fillerDocument, probeMissing, startModelFixture, type ModelFixture } from "./engine-fixture";

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
  for (const kind of ["compressed", "question-aware"] as const) {
    it(`${kind}: ${QUESTIONS} questions keep the cache within budget + question + answer, one native context, the same answer to a repeated question`, async () => {
      const session = await fixture.open(kind, TEXT);
      expect(session.documentTokens).toBeGreaterThan(4 * COMPRESSED.budget);
      expect(fixture.liveContexts()).toBe(1);
      const asked = questions(kind === "compressed" ? 1 : 2);
      const first = await session.ask([], asked[0], { maxTokens: MAX_TOKENS });
      const rssStart = process.memoryUsage().rss;
      let largestExcess = Number.NEGATIVE_INFINITY;
      let peakRss = rssStart;
      for (const question of asked) {
        const answer = await session.ask([], question, { maxTokens: MAX_TOKENS });
        const { cacheCells, promptTokens, documentTokens, generatedTokens, allocatedCells } = answer.stats;
        const headroom = COMPRESSED.budget + (promptTokens - documentTokens) + generatedTokens;
        expect(cacheCells, question).toBeLessThanOrEqual(headroom);
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
          `cells at most ${largestExcess} over budget + question + answer, peak ${session.peakCells} cells, ` +
          `${first.stats.allocatedCells} allocated, RSS growth ${growth.toFixed(0)} MiB`,
      );
      // A leaked context would hold its KV cache and compute buffers; 50 of them would show here.
      expect(growth).toBeLessThan(256);
    }, 300_000);
  }
});
