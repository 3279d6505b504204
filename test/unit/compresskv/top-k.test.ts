import { describe, expect, it } from "vitest";
import { topKIndices } from "../../../src-main/compresskv/top-k";
import { forEachCase } from "./property";

/** Independent reference: sort every index by (score desc, index asc), take k. */
function referenceTopK(scores: number[], k: number, from: number, to: number): number[] {
  const key = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  const indices = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  indices.sort((a, b) => (key(a) === key(b) ? a - b : key(b) - key(a)));
  return indices.slice(0, Math.max(0, k));
}

describe("topKIndices", () => {
  it("orders by score, lower index first on ties", () => {
    expect(Array.from(topKIndices([3, 9, 3, 3, 1], 3))).toEqual([1, 0, 2]);
    expect(Array.from(topKIndices([3, 9, 3, 3, 1], 5))).toEqual([1, 0, 2, 3, 4]);
  });
  it("works inside a sub-range and clamps k", () => {
    expect(Array.from(topKIndices([100, 1, 5, 2, 100], 2, 1, 4))).toEqual([2, 3]);
    expect(Array.from(topKIndices([1, 2], 0))).toEqual([]);
    expect(Array.from(topKIndices([1, 2], -3))).toEqual([]);
    expect(Array.from(topKIndices([1, 2], 10))).toEqual([1, 0]);
  });
  it("treats NaN as the lowest score", () => {
    expect(Array.from(topKIndices([Number.NaN, 0, -Infinity, 1], 3))).toEqual([3, 1, 0]);
  });
  it("matches a full sort on random inputs with many ties", () => {
    forEachCase(300, (random) => {
      const n = random.int(1, 400);
      const levels = random.int(1, 12);
      const scores = Array.from({ length: n }, () => random.int(0, levels) / levels);
      const from = random.int(0, n);
      const to = random.int(from, n);
      const k = random.int(-1, n + 1);
      expect(Array.from(topKIndices(Float32Array.from(scores), k, from, to))).toEqual(
        referenceTopK(scores, k, from, to),
      );
    });
  });
});
