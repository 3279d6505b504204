import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRuntime } from "../../src-main/engine/llama-runtime";
import { LoadedModel } from "../../src-main/engine/loaded-model";
import {
  conditionGrid,
  niahItems,
  parseBudget,
  parseSeries,
  ResultsLog,
  runEvaluation,
  type TrialResult,
} from "../../src-main/evaluation";
import { METHOD_NAMES } from "../../src-main/api/compression-settings";
import { makeTinyModel } from "../models/make-model";

let dir: string;
let loaded: LoadedModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-eval-"));
  loaded = await LoadedModel.load(await getRuntime(), await makeTinyModel(join(dir, "tiny.gguf"), 5));
});

afterAll(async () => {
  await loaded?.dispose();
  await rm(dir, { recursive: true, force: true });
});

// A tiny random model answers nonsense, but the same nonsense every time: that is what resuming must keep.
const items = niahItems({
  task: "niah",
  lengths: [400],
  depths: [0, 1],
  samples: 2,
  seed: 9,
  charactersPerToken: 1,
  style: "completion",
});
const conditions = conditionGrid(parseSeries("full,streaming-llm,random:agnostic", METHOD_NAMES, [true]), [
  parseBudget("64"),
  parseBudget("40%"),
]);
const total = items.length * conditions.length;

/** What a trial decides, without its timings. */
const outcome = (r: TrialResult) => [
  r.key,
  r.generated,
  r.score,
  r.documentTokens,
  r.budgetCells,
  r.cacheCells,
  r.methodUsed,
];

describe("an evaluation run", () => {
  it("stopped after some trials and resumed runs each trial once and ends as an uninterrupted run", async () => {
    const whole = await runEvaluation(loaded, items, conditions, await ResultsLog.open(join(dir, "whole.jsonl")));
    expect(whole).toHaveLength(total);
    expect(new Set(whole.map((r) => r.key)).size).toBe(total);
    expect(whole.find((r) => r.condition === "random@40%/agnostic")?.budgetCells).toBeGreaterThan(100);

    const path = join(dir, "stopped.jsonl");
    const controller = new AbortController();
    const firstRun: string[] = [];
    await expect(
      runEvaluation(loaded, items, conditions, await ResultsLog.open(path), {
        signal: controller.signal,
        onTrial: (r) => {
          firstRun.push(r.key);
          if (firstRun.length === 7) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: "cancelled" });
    expect(firstRun).toHaveLength(7);
    expect((await ResultsLog.open(path)).size).toBe(7);

    const secondRun: string[] = [];
    const progress: number[] = [];
    const resumed = await runEvaluation(loaded, items, conditions, await ResultsLog.open(path), {
      onTrial: (r) => secondRun.push(r.key),
      onProgress: (state) => progress.push(state.done),
    });
    expect(secondRun).toHaveLength(total - 7);
    expect(secondRun.filter((key) => firstRun.includes(key))).toEqual([]);
    expect(progress[0]).toBe(7);
    expect(progress.at(-1)).toBe(total);
    expect(resumed.map(outcome)).toEqual(whole.map(outcome));
  });
});
