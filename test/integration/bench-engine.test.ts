import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchReport } from "../../bench/engine/bench-report";
import { runEngineBench } from "../../bench/engine/engine-bench";
import { getRuntime } from "../../src-main/engine/llama-runtime";
import { LoadedModel } from "../../src-main/engine/loaded-model";
import { probeAvailability } from "../../src-main/engine/probe";
import { makeTinyModel } from "../models/make-model";

let dir: string;
let loaded: LoadedModel;
let probeReady = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-bench-"));
  const llama = await getRuntime();
  probeReady = probeAvailability(llama).available;
  if (!probeReady && process.env.CI) throw new Error("the patched addon with the attention probe is missing");
  // Newline and EOS never generated: every decode runs its full length.
  loaded = await LoadedModel.load(llama, await makeTinyModel(join(dir, "tiny.gguf"), 2, { neverEmit: [10, 257] }));
});

afterAll(async () => {
  await loaded?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("the engine benchmark", () => {
  it("measures every comparison at each length (plumbing, on a tiny model)", async (context) => {
    if (!probeReady) context.skip();
    const phases: string[] = [];
    const [measurement, ...rest] = await runEngineBench(loaded, {
      lengths: [1024],
      budget: 96,
      decodeTokens: 4,
      window: 8,
      chunkTokens: 128,
      onPhase: (length, phase) => phases.push(`${length}: ${phase}`),
    });
    expect(rest).toEqual([]);
    expect(phases).toHaveLength(4);
    const kvPerToken = loaded.info.kvBytesPerToken;
    expect(measurement.kvBytes).toEqual({
      full: 1024 * kvPerToken,
      compressed: 96 * kvPerToken,
      sessionAllocated: expect.any(Number),
    });
    // The session's context holds the budget, a chunk and the answer room, not the document.
    expect(measurement.kvBytes.sessionAllocated).toBeLessThan(measurement.kvBytes.full);
    const times = [
      ...Object.values(measurement.prefill),
      measurement.selectionMs,
      ...Object.values(measurement.removal),
      ...Object.values(measurement.decode),
      ...Object.values(measurement.peakRssBytes),
    ];
    for (const value of times) expect(value).toBeGreaterThan(0);
    const report = benchReport([measurement]);
    expect(report.split("\n").filter((line) => line.startsWith("|   1024 |"))).toHaveLength(3);
  });
});
