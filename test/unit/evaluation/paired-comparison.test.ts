import { describe, expect, it } from "vitest";
import { comparePaired, signTestP } from "../../../src-main/evaluation/paired-comparison";
import type { TrialResult } from "../../../src-main/evaluation/trial-result";

const trial = (item: string, condition: string, score: number) => ({ item, condition, score }) as TrialResult;

describe("paired comparison", () => {
  it("gives the exact two-sided sign test", () => {
    // 1 of 6 against: (C(6,0) + C(6,1)) x 2 / 64 = 14 / 64.
    expect(signTestP(5, 1)).toBe(14 / 64);
    expect(signTestP(1, 5)).toBe(14 / 64);
    expect(signTestP(3, 3)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(10, 0)).toBe(2 / 1024);
  });

  it("pairs the items both conditions answered", () => {
    const results = [
      trial("a", "x", 1),
      trial("a", "y", 0.5),
      trial("b", "x", 0),
      trial("b", "y", 1),
      trial("c", "x", 1),
      trial("c", "y", 1),
      trial("d", "x", 1),
      trial("e", "y", 0),
    ];
    expect(comparePaired(results, "x", "y")).toEqual({ items: 3, wins: 1, losses: 1, ties: 1, p: 1 });
  });
});
