import { describe, expect, it } from "vitest";
import { headAgreement, spearman, topHeads } from "../../../src-main/evaluation/head-agreement";

describe("head agreement", () => {
  it("ranks heads by score, ties by index", () => {
    expect(topHeads([0.1, 0.9, 0.5, 0.9], 3)).toEqual([1, 3, 2]);
  });

  it("computes Spearman's rank correlation, ties at their mean rank", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // Ranks [1, 2, 3.5, 3.5] against [2, 1, 3, 4]: 3.5 / sqrt(4.5 x 5).
    expect(spearman([1, 2, 5, 5], [2, 1, 3, 4])).toBeCloseTo(3.5 / Math.sqrt(4.5 * 5), 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it("gives each layer the top-k overlap and the rank correlation", () => {
    const chosen = [
      [0.9, 0.8, 0.1, 0.0],
      [0.0, 0.1, 0.2, 0.3],
    ];
    const measured = [
      [0.7, 0.0, 0.9, 0.1],
      [0.0, 0.1, 0.2, 0.3],
    ];
    const [first, second] = headAgreement(chosen, measured, 2);
    expect(first.overlap).toBe(0.5); // {0, 1} against {2, 0}
    expect(first.rankCorrelation).toBeCloseTo(0, 12); // ranks [4,3,2,1] against [3,1,4,2]: 1 - 6 x 10 / 60
    expect(second).toEqual({ layer: 1, overlap: 1, rankCorrelation: 1 });
  });
});
