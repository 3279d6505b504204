import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src-main/api/app-error";
import { calibrateAndSave, readBundledHaystack } from "../../src-main/calibration";
import { SeededRandom } from "../models/llama-model";
import {
  fillerDocument,
  probeMissing,
  SESSION_KINDS,
  startModelFixture,
  type ModelFixture,
  type SessionKind,
} from "./engine-fixture";

const skipReason = await probeMissing();
const TEXT = fillerDocument(160);
const QUESTION = "Which word comes after w7?";
const MAX_TOKENS = 12;
const TRIALS = 8;

let fixture: ModelFixture;
/** Per session kind, a fresh session's answer and how many text pieces it streamed. */
const reference = new Map<SessionKind, string>();
const streamedPieces = new Map<SessionKind, number>();

beforeAll(async () => {
  fixture = await startModelFixture("compresskv-cancel-");
  for (const kind of SESSION_KINDS) {
    const session = await fixture.open(kind, TEXT);
    let pieces = 0;
    reference.set(kind, (await session.ask([], QUESTION, { maxTokens: MAX_TOKENS, onText: () => pieces++ })).text);
    streamedPieces.set(kind, pieces);
    await session.dispose();
  }
});

afterAll(async () => {
  await fixture?.close();
});

/** Counts events and aborts at the `at`-th one. */
function abortAt(at: number): { signal: AbortSignal; tick(): void; count(): number } {
  const controller = new AbortController();
  let seen = 0;
  return {
    signal: controller.signal,
    tick: () => {
      if (++seen === at) controller.abort();
    },
    count: () => seen,
  };
}

async function refusal(run: Promise<unknown>): Promise<AppError | null> {
  return run.then(
    () => null,
    (error: unknown) => (error instanceof AppError ? error : Promise.reject(error)),
  );
}

describe.skipIf(skipReason !== undefined)("cancelling at random points leaves sessions usable", () => {
  const random = new SeededRandom(77);
  const pick = (from: number, to: number) => from + Math.floor(random.uniform() * (to - from + 1));

  it(`${SESSION_KINDS.length} kinds x ${TRIALS} seeded cancels while reading the document: nothing leaks, the next session answers as a fresh one`, async () => {
    for (const kind of SESSION_KINDS) {
      expect(reference.get(kind)!.length, kind).toBeGreaterThan(0);
      // Question-aware sessions read the document per question, inside ask().
      const counting = abortAt(Number.POSITIVE_INFINITY);
      const probe = await fixture.open(kind, TEXT, kind === "question-aware" ? {} : { onProgress: counting.tick });
      if (kind === "question-aware") await probe.ask([], QUESTION, { maxTokens: 1, onProgress: counting.tick });
      await probe.dispose();
      const events = counting.count();
      expect(events, kind).toBeGreaterThan(3);

      for (let trial = 0; trial < TRIALS; trial++) {
        const cancel = abortAt(pick(1, events - 1));
        if (kind === "question-aware") {
          const session = await fixture.open(kind, TEXT);
          const stopped = await session
            .ask([], QUESTION, { maxTokens: MAX_TOKENS, signal: cancel.signal, onProgress: cancel.tick })
            .then(
              (answer) => answer.stats.stopReason,
              (error: unknown) => (error as AppError).code,
            );
          // Cancelled mid-reading it throws; after the last chunk, generation sees the signal at once.
          expect(stopped, `${kind} trial ${trial}`).toBe("cancelled");
          expect((await session.ask([], QUESTION, { maxTokens: MAX_TOKENS })).text, `${kind} trial ${trial}`).toBe(
            reference.get(kind),
          );
          await session.dispose();
        } else {
          const stopped = await refusal(fixture.open(kind, TEXT, { signal: cancel.signal, onProgress: cancel.tick }));
          expect(stopped?.code, `${kind} trial ${trial}`).toBe("cancelled");
          expect(fixture.liveContexts(), `${kind} trial ${trial}`).toBe(0);
          const session = await fixture.open(kind, TEXT);
          expect((await session.ask([], QUESTION, { maxTokens: MAX_TOKENS })).text, `${kind} trial ${trial}`).toBe(
            reference.get(kind),
          );
          await session.dispose();
        }
        expect(fixture.liveContexts()).toBe(0);
      }
    }
  });

  it(`${SESSION_KINDS.length} kinds x ${TRIALS} seeded cancels while generating: the partial answer is the start of the full one, the next ask equals it`, async () => {
    for (const kind of SESSION_KINDS) {
      const session = await fixture.open(kind, TEXT);
      for (let trial = 0; trial < TRIALS; trial++) {
        const cancel = abortAt(pick(1, streamedPieces.get(kind)! - 1));
        const partial = await session.ask([], QUESTION, {
          maxTokens: MAX_TOKENS,
          signal: cancel.signal,
          onText: cancel.tick,
        });
        expect(partial.stats.stopReason, `${kind} trial ${trial}`).toBe("cancelled");
        expect(reference.get(kind)!.startsWith(partial.text), `${kind} trial ${trial}`).toBe(true);
        expect(partial.text.length).toBeLessThan(reference.get(kind)!.length);
        const next = await session.ask([], QUESTION, { maxTokens: MAX_TOKENS });
        expect(next.text, `${kind} trial ${trial}`).toBe(reference.get(kind));
      }
      await session.dispose();
    }
    expect(fixture.liveContexts()).toBe(0);
  });

  it(`${TRIALS - 1} seeded cancels during calibration store no profile; the model still answers and a full run then completes`, async () => {
    const haystack = { text: await readBundledHaystack(resolve("resources")), source: "built-in" as const };
    const settings = { lengths: [160, 256], depths: 3, maxTokens: 4 };
    const dataDir = join(fixture.dir, "data");
    for (let trial = 0; trial < TRIALS - 1; trial++) {
      const cancel = abortAt(pick(1, 5));
      const stopped = await refusal(
        calibrateAndSave(dataDir, fixture.loaded, {
          haystack,
          settings,
          signal: cancel.signal,
          onProgress: cancel.tick,
        }),
      );
      expect(stopped?.code, `trial ${trial}`).toBe("cancelled");
      expect(
        existsSync(join(dataDir, "profiles")) ? await readdir(join(dataDir, "profiles")) : [],
        `trial ${trial}`,
      ).toEqual([]);
      expect(fixture.liveContexts(), `trial ${trial}`).toBe(0);
      const session = await fixture.open("full", TEXT);
      expect((await session.ask([], QUESTION, { maxTokens: MAX_TOKENS })).text).toBe(reference.get("full"));
      await session.dispose();
    }
    const { profile } = await calibrateAndSave(dataDir, fixture.loaded, { haystack, settings });
    expect(profile.probes.run).toBe(6);
  });
});
