import { describe, expect, it } from "vitest";
import { buildPhysicalPlan, complementRanges, visiblePositions } from "../../../src-main/compresskv/physical-plan";
import { selectLayerTokens } from "../../../src-main/compresskv/token-selection";
import type { LayerSelection } from "../../../src-main/compresskv/types";
import { forEachCase } from "./property";

// n = 12, window 2, one sink: protected {0, 10, 11}. Layer A wants 5, 6, 7, 8; layer B wants 1, 2, 5, 6.
const n = 12;
const window = 2;
const sinks = 1;
function desired(ranked: number[]): LayerSelection {
  const positions = Int32Array.from(ranked);
  return {
    budget: ranked.length + 3,
    ranked: positions,
    kept: Int32Array.from([0, ...ranked, 10, 11].sort((a, b) => a - b)),
  };
}
const layers = [desired([5, 6, 7, 8]), desired([1, 2, 5, 6])];

describe("buildPhysicalPlan", () => {
  it("scales every layer down uniformly, then fills free slots by global priority", () => {
    // Capacity 7 leaves 4 candidate slots. s in [0.5, 0.75) keeps two of each: {5, 6} and {1, 2} (4 slots).
    // Fill: A's next (7) needs a fifth slot and stops A; B's next ones (5, then 6) are already in the union.
    const plan = buildPhysicalPlan({
      n,
      capacity: 7,
      window,
      sinks,
      layers,
      attentionMass: [new Float64Array(n).fill(1), undefined],
    });
    expect(plan.scale).toBeGreaterThanOrEqual(0.5);
    expect(plan.scale).toBeLessThan(0.75);
    expect(plan.kept.map((kept) => Array.from(kept))).toEqual([
      [0, 5, 6, 10, 11],
      [0, 1, 2, 5, 6, 10, 11],
    ]);
    expect(Array.from(plan.union)).toEqual([0, 1, 2, 5, 6, 10, 11]);
    expect(plan.removals).toEqual([
      { start: 3, end: 5 },
      { start: 7, end: 10 },
    ]);
    expect(plan.retainedMass.shared).toEqual([7 / 12, null]);
    expect(plan.retainedMass.exact).toEqual([5 / 12, null]);
    expect(Array.from(visiblePositions(plan, 0, "exact"))).toEqual([0, 5, 6, 10, 11]);
    expect(visiblePositions(plan, 0, "shared")).toBe(plan.union);
  });
  it("keeps the desired sets when their union fits", () => {
    const plan = buildPhysicalPlan({ n, capacity: 9, window, sinks, layers });
    expect(plan.scale).toBe(1);
    expect(plan.kept).toEqual(layers.map((layer) => layer.kept));
    expect(Array.from(plan.union)).toEqual([0, 1, 2, 5, 6, 7, 8, 10, 11]);
    expect(plan.removals).toEqual([
      { start: 3, end: 5 },
      { start: 9, end: 10 },
    ]);
    expect(plan.retainedMass.shared).toEqual([null, null]);
  });
  it("keeps only sinks and window at the smallest capacity, and refuses less", () => {
    const plan = buildPhysicalPlan({ n, capacity: 3, window, sinks, layers });
    expect(Array.from(plan.union)).toEqual([0, 10, 11]);
    expect(plan.removals).toEqual([{ start: 1, end: 10 }]);
    expect(() => buildPhysicalPlan({ n, capacity: 2, window, sinks, layers })).toThrow(RangeError);
  });
  it("gives a layer with no attention mass a full share", () => {
    const plan = buildPhysicalPlan({
      n,
      capacity: 3,
      window,
      sinks,
      layers,
      attentionMass: [new Float64Array(n), undefined],
    });
    expect(plan.retainedMass.exact[0]).toBe(1);
  });
});

describe("complementRanges", () => {
  it("coalesces the gaps, including the edges", () => {
    expect(complementRanges(Int32Array.of(2, 3, 7), 10)).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 7 },
      { start: 8, end: 10 },
    ]);
    expect(complementRanges(Int32Array.of(0, 1, 2), 3)).toEqual([]);
    expect(complementRanges(Int32Array.of(), 2)).toEqual([{ start: 0, end: 2 }]);
  });
});

describe("physical plan properties", () => {
  it("union within capacity, sinks and window kept, prefixes of rankings, maximal fill, deterministic", () => {
    forEachCase(150, (random) => {
      const caseN = random.int(1, 600);
      const caseWindow = random.int(0, 12);
      const caseSinks = random.int(0, 6);
      const protectedTotal = Math.min(caseN, caseWindow + caseSinks);
      const nLayers = random.int(1, 8);
      const selections = Array.from({ length: nLayers }, () => {
        const scores = Float64Array.from({ length: caseN }, () => random.int(0, 20));
        return selectLayerTokens(scores, caseN, random.int(0, caseN), caseWindow, caseSinks);
      });
      const capacity = random.int(protectedTotal, caseN);
      const mass = selections.map(() => Float64Array.from({ length: caseN }, () => random.float()));
      const input = {
        n: caseN,
        capacity,
        window: caseWindow,
        sinks: caseSinks,
        layers: selections,
        attentionMass: mass,
      };
      const plan = buildPhysicalPlan(input);

      expect(plan.union.length).toBeLessThanOrEqual(capacity);
      const union = new Set(plan.union);
      const isProtected = (j: number) =>
        j < Math.min(caseSinks, Math.max(0, caseN - caseWindow)) || j >= caseN - caseWindow;
      for (let j = 0; j < caseN; j++) if (isProtected(j)) expect(union.has(j)).toBe(true);

      const slotsFull = plan.union.length === capacity;
      plan.kept.forEach((kept, l) => {
        const keptSet = new Set(kept);
        for (const position of kept) expect(union.has(position)).toBe(true);
        for (let j = 0; j < caseN; j++) if (isProtected(j)) expect(keptSet.has(j)).toBe(true);
        const ranked = selections[l].ranked;
        const taken = kept.length - protectedTotal;
        expect(taken).toBeGreaterThanOrEqual(Math.floor(plan.scale * ranked.length));
        expect(new Set(ranked.subarray(0, taken))).toEqual(new Set(kept.filter((j) => !isProtected(j))));
        // A layer stops short only when its next candidate would need a slot that is not there.
        if (taken < ranked.length) {
          expect(union.has(ranked[taken])).toBe(false);
          expect(slotsFull).toBe(true);
        }
      });

      // Removals are exactly the positions outside the union.
      const removed = plan.removals.flatMap((range) =>
        Array.from({ length: range.end - range.start }, (_, i) => range.start + i),
      );
      expect(removed.length + plan.union.length).toBe(caseN);
      for (const position of removed) expect(union.has(position)).toBe(false);

      for (const share of [...plan.retainedMass.shared, ...plan.retainedMass.exact]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1 + 1e-12);
      }
      expect(buildPhysicalPlan(input)).toEqual(plan);
    });
  });
});
