import { describe, expect, it } from "vitest";
import { positionCounts, rangeCoverage, rangesContain, rangesSize } from "../../../src-renderer/cache/flat-ranges";

/** Seeded xorshift, so the property cases are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function randomRanges(next: () => number, domain: number): number[] {
  const ranges: number[] = [];
  let at = Math.floor(next() * 5);
  while (at < domain) {
    const end = Math.min(domain, at + 1 + Math.floor(next() * 12));
    ranges.push(at, end);
    at = end + 1 + Math.floor(next() * 12);
  }
  return ranges;
}

describe("flat ranges", () => {
  it("measures and searches ranges", () => {
    const ranges = [0, 4, 10, 11, 20, 25];
    expect(rangesSize(ranges)).toBe(10);
    expect([0, 3, 4, 9, 10, 11, 19, 24, 25].map((p) => rangesContain(ranges, p))).toEqual([
      true,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(rangesContain([], 0)).toBe(false);
  });

  it("gives each bin the share of its positions the ranges cover", () => {
    // Domain 10 in 4 bins of 2.5 positions: [0,2.5) [2.5,5) [5,7.5) [7.5,10).
    // Float32 storage: 0.2 and 0.4 as the nearest float32 values.
    expect(Array.from(rangeCoverage([0, 3, 9, 10], 10, 4))).toEqual([1, Math.fround(0.2), 0, Math.fround(0.4)]);
    expect(Array.from(rangeCoverage([2, 3], 4, 8))).toEqual([0, 0, 0, 0, 1, 1, 0, 0]);
  });

  it("matches counting position by position (property, 200 seeded cases)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const domain = 1 + Math.floor(next() * 300);
      const bins = 1 + Math.floor(next() * 64);
      const ranges = randomRanges(next, domain);
      const coverage = rangeCoverage(ranges, domain, bins);
      for (let bin = 0; bin < bins; bin++) {
        const [from, to] = [(bin * domain) / bins, ((bin + 1) * domain) / bins];
        let covered = 0;
        for (let p = Math.floor(from); p < Math.ceil(to); p++) {
          if (rangesContain(ranges, p)) covered += Math.min(p + 1, to) - Math.max(p, from);
        }
        expect(coverage[bin]).toBeCloseTo(covered / (to - from), 5);
      }
    }
  });

  it("counts how many range sets hold each position", () => {
    expect(Array.from(positionCounts([[0, 3], [2, 5, 6, 7], []], 8))).toEqual([1, 1, 2, 1, 1, 0, 1, 0]);
  });
});
