import { describe, expect, it } from "vitest";
import { METHOD_NAMES } from "../../../src-main/api/compression-settings";
import { createMethod, methodRegistry } from "../../../src-main/compresskv";
import { chooseMethod, UNCALIBRATED_DEFAULT } from "../../../src-main/engine/compression/method-choice";

const shape = { nLayers: 2, nHead: 3, nHeadKv: 1 };
const profile = {
  semanticHeads: [
    [1, 2, 0],
    [1, 2, 0],
  ],
  retrievalHeads: [
    [2, 0, 1],
    [0, 1, 2],
  ],
  layerWeights: [0.4, 0.6],
};
const probe = { available: true } as const;
const noProbe = { available: false, reason: "the binary has no probe" } as const;

describe("choosing the method a session can run", () => {
  it("runs what was asked when it can", () => {
    expect(chooseMethod("compresskv", { profile, probe })).toEqual({ requested: "compresskv", method: "compresskv" });
    expect(chooseMethod("streaming-llm", { probe: noProbe })).toEqual({
      requested: "streaming-llm",
      method: "streaming-llm",
    });
  });

  it("uses SnapKV over all heads before calibration, and says so", () => {
    const choice = chooseMethod("compresskv", { probe });
    expect(choice.method).toBe(UNCALIBRATED_DEFAULT);
    expect(choice.fallbackReason).toBe(
      "CompressKV (semantic heads, adaptive budgets) needs a calibrated model; using SnapKV (all heads) until it is calibrated",
    );
    const method = createMethod(choice.method, { shape });
    expect(method.needsProfile).toBe(false);
    expect(method.capturedHeads(1)).toEqual([0, 1, 2]);
  });

  it("falls back to StreamingLLM without the attention probe, naming the reason", () => {
    const choice = chooseMethod("compresskv", { profile, probe: noProbe });
    expect(choice.method).toBe("streaming-llm");
    expect(choice.fallbackReason).toMatch(/needs attention scores, but the binary has no probe; using StreamingLLM/);
    expect(chooseMethod("retrieval-heads", { probe: noProbe }).fallbackReason).toMatch(
      /needs a calibrated model.*\. SnapKV.*needs attention scores/,
    );
  });
});

describe("the contract's method names", () => {
  it("are exactly the core's registry, in order (the schema needs them as a literal list)", () => {
    expect([...METHOD_NAMES]).toEqual(methodRegistry.map((method) => method.name));
  });
});
