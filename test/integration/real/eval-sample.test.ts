import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METHOD_NAMES } from "../../../src-main/api/compression-settings";
import { getRuntime } from "../../../src-main/engine/llama-runtime";
import { LoadedModel } from "../../../src-main/engine/loaded-model";
import {
  conditionGrid,
  haystackItems,
  parseBudget,
  parseSeries,
  ResultsLog,
  resultsTable,
  runEvaluation,
  summarizeConditions,
} from "../../../src-main/evaluation";
import { realModel } from "./real-model-fixture";

/**
 * A small sample of the accuracy run on a real model (SmolLM2 135M Instruct, the fastest): the passkey
 * task at 512 tokens with the key in the middle, full cache against StreamingLLM at 64 cells. By
 * construction StreamingLLM keeps only the first and the last tokens, so the key's tokens are gone
 * from every layer and the answer cannot hold the key (five seeded digits); the full cache keeps it.
 * Checks the harness end to end: items, trials, per-layer answer survival, summary, intervals, table.
 */
const model = realModel("smollm2-135m-instruct");
const skip = "missing" in model ? model.missing : undefined;

let dir: string;
let loaded: LoadedModel;

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), "compresskv-eval-sample-"));
  loaded = await LoadedModel.load(await getRuntime(), (model as { path: string }).path);
});

afterAll(async () => {
  await loaded?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip)("accuracy sample on SmolLM2 (passkey, 512 tokens)", () => {
  it("full cache keeps the key and answers; StreamingLLM at 64 cells has none of it and cannot", async () => {
    const items = haystackItems({
      task: "passkey",
      lengths: [512],
      depths: [0.4, 0.6],
      samples: 2,
      seed: 11,
      charactersPerToken: 4,
      haystack: "",
    });
    const conditions = conditionGrid(parseSeries("full,streaming-llm", METHOD_NAMES, [true]), [parseBudget("64")]);
    const log = await ResultsLog.open(join(dir, "results.jsonl"));
    // Chunks shorter than the document: the compressed sessions read it in two passes.
    const results = await runEvaluation(loaded, items, conditions, log, { chunkTokens: 256 });
    expect(results).toHaveLength(8);

    const full = results.filter((r) => r.condition === "full");
    const streaming = results.filter((r) => r.condition === "streaming-llm@64");
    for (const trial of streaming) {
      expect(trial.methodUsed).toBe("streaming-llm");
      expect(trial.answerSurvival).toHaveLength(30);
      expect(trial.answerSurvival!.every((share) => share === 0)).toBe(true);
      expect(trial.score).toBe(0);
    }
    for (const trial of full) expect(trial.answerSurvival).toBeUndefined();
    // The ordering: on every item the full cache scores at least as well, and it answers some.
    for (const trial of streaming)
      expect(full.find((f) => f.item === trial.item)!.score).toBeGreaterThanOrEqual(trial.score);
    expect(full.some((trial) => trial.score === 1)).toBe(true);

    const summaries = summarizeConditions(results, conditions);
    const fullSummary = summaries.find((s) => s.condition === "full")!;
    expect(fullSummary.count).toBe(4);
    expect(fullSummary.interval.low).toBeLessThanOrEqual(fullSummary.mean);
    expect(fullSummary.interval.high).toBeGreaterThanOrEqual(fullSummary.mean);
    const streamingSummary = summaries.find((s) => s.condition === "streaming-llm@64")!;
    expect(streamingSummary).toMatchObject({ mean: 0, count: 4, relativeToFull: 0 });
    expect(streamingSummary.answerSurvival.every((share) => share === 0)).toBe(true);
    expect(resultsTable(summaries, conditions)).toMatch(/\| full cache \| \d+\.\d \[\d+-\d+\] \|/);
  }, 300_000);
});
