import { describe, expect, it } from "vitest";
import {
  defaultCalibrationSettings,
  defaultLengths,
  depthValues,
  probeGrid,
} from "../../../src-main/calibration/calibration-settings";
import { BUILT_IN_NEEDLES } from "../../../src-main/calibration/needles";

describe("default probe lengths", () => {
  it("are four multiples of 64 up to the usable context, capped at 2048 on CPU and 8192 on GPU", () => {
    expect(defaultLengths(4096, { gpu: false })).toEqual([512, 1024, 1536, 2048]);
    expect(defaultLengths(131072, { gpu: true })).toEqual([2048, 4096, 6144, 8192]);
    // usable 1024 - 50 = 974: 243.5, 487, 730.5, 974 rounded down to multiples of 64.
    expect(defaultLengths(1024, { gpu: false })).toEqual([192, 448, 704, 960]);
    // usable 2100 - 60 = 2040: 510, 1020, 1530, 2040.
    expect(defaultLengths(2100, { gpu: false, maxTokens: 60 })).toEqual([448, 960, 1472, 1984]);
  });

  it("never go below 128 tokens and drop repeats", () => {
    expect(defaultLengths(200, { gpu: false })).toEqual([128]);
  });

  it("use the cap when the trained context is unknown", () => {
    expect(defaultLengths(0, { gpu: false })).toEqual([512, 1024, 1536, 2048]);
  });

  it("come with 10 depths, 50 decode tokens, a budget of 32 and a window of 8", () => {
    expect(defaultCalibrationSettings(4096, { gpu: false })).toEqual({
      lengths: [512, 1024, 1536, 2048],
      depths: 10,
      maxTokens: 50,
      errorBudget: 32,
      window: 8,
      headsPerLayer: 4,
    });
  });
});

describe("depths and the probe grid", () => {
  it("spaces depths evenly over [0, 1]", () => {
    expect(depthValues(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(depthValues(2)).toEqual([0, 1]);
    expect(depthValues(1)).toEqual([0.5]);
    expect(() => depthValues(0)).toThrow(RangeError);
    expect(() => depthValues(2.5)).toThrow(RangeError);
  });

  it("crosses lengths with depths and lets the needles take turns", () => {
    const needles = BUILT_IN_NEEDLES.slice(0, 2);
    const grid = probeGrid({ lengths: [256, 512], depths: 3 }, needles);
    expect(grid.map(({ index, lengthIndex, length, depth }) => [index, lengthIndex, length, depth])).toEqual([
      [0, 0, 256, 0],
      [1, 0, 256, 0.5],
      [2, 0, 256, 1],
      [3, 1, 512, 0],
      [4, 1, 512, 0.5],
      [5, 1, 512, 1],
    ]);
    expect(grid.map((probe) => needles.indexOf(probe.needle))).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it("refuses lengths too short for a probe and an empty needle list", () => {
    expect(() => probeGrid({ lengths: [100], depths: 2 }, BUILT_IN_NEEDLES)).toThrow(RangeError);
    expect(() => probeGrid({ lengths: [256.5], depths: 2 }, BUILT_IN_NEEDLES)).toThrow(RangeError);
    expect(() => probeGrid({ lengths: [256], depths: 2 }, [])).toThrow(RangeError);
  });
});

describe("the built-in needles", () => {
  it("hold their answer once, and each cue is the sentence up to the answer", () => {
    expect(BUILT_IN_NEEDLES.length).toBeGreaterThanOrEqual(4);
    for (const needle of BUILT_IN_NEEDLES) {
      expect(needle.sentence.split(needle.answer).length - 1).toBe(1);
      expect(needle.sentence.startsWith(`${needle.cue} ${needle.answer}`)).toBe(true);
      expect(needle.question).toMatch(/\?/);
    }
  });
});
