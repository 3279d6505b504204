import { describe, expect, it } from "vitest";
import { kvHeadOf } from "../../../src-main/compresskv/gqa";
import { createPrng } from "../../../src-main/compresskv/prng";
import { roundHalfToEven } from "../../../src-main/compresskv/rounding";

describe("roundHalfToEven", () => {
  it("rounds halves to the even neighbour", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 0, -2, -2]);
  });
  it("rounds everything else to the nearest integer", () => {
    expect([2.4999, 2.5001, -2.6, 7, 0.1].map(roundHalfToEven)).toEqual([2, 3, -3, 7, 0]);
  });
});

describe("createPrng", () => {
  it("reproduces the Mulberry32 sequence (values from an independent Python implementation)", () => {
    const next = createPrng(42);
    expect([next(), next(), next(), next(), next()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693, 0.17481389874592423,
    ]);
    expect(createPrng(0)()).toBe(0.26642920868471265);
  });
});

describe("kvHeadOf", () => {
  it("maps query heads to their group's KV head", () => {
    const shape = { nHead: 32, nHeadKv: 8 };
    expect([0, 3, 4, 31].map((h) => kvHeadOf(h, shape))).toEqual([0, 0, 1, 7]);
    expect(kvHeadOf(5, { nHead: 8, nHeadKv: 8 })).toBe(5);
  });
  it("rejects heads outside the model and shapes that are not grouped evenly", () => {
    expect(() => kvHeadOf(32, { nHead: 32, nHeadKv: 8 })).toThrow(RangeError);
    expect(() => kvHeadOf(0, { nHead: 6, nHeadKv: 4 })).toThrow(RangeError);
  });
});
