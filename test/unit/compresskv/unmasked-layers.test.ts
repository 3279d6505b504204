import { describe, expect, it } from "vitest";
import { buildPhysicalPlan, visiblePositions } from "../../../src-main/compresskv/physical-plan";
import { selectLayerTokens } from "../../../src-main/compresskv/token-selection";
import { withUnmaskedLayers } from "../../../src-main/compresskv/unmasked-layers";

// n = 12, window 2, one sink (protected {0, 10, 11}), capacity 7. Layer 0 is a window layer (nothing
// ranked); layers 1 and 2 rank their own candidates.
const n = 12;
const ranked = (positions: number[]) => ({
  budget: positions.length + 3,
  ranked: Int32Array.from(positions),
  kept: Int32Array.from([0, ...positions, 10, 11].sort((a, b) => a - b)),
});
const plan = buildPhysicalPlan({
  n,
  capacity: 7,
  window: 2,
  sinks: 1,
  layers: [selectLayerTokens([], n, 0, 2, 1), ranked([5, 6]), ranked([1, 2])],
  attentionMass: [undefined, new Float64Array(n).fill(1), undefined],
});

describe("withUnmaskedLayers", () => {
  it("lets the listed layers see the whole union in the exact view; the others keep their own sets", () => {
    expect(Array.from(plan.union)).toEqual([0, 1, 2, 5, 6, 10, 11]);
    expect(Array.from(visiblePositions(plan, 0, "exact"))).toEqual([0, 10, 11]);

    const unmasked = withUnmaskedLayers(plan, [0]);
    expect([0, 1, 2].map((layer) => Array.from(visiblePositions(unmasked, layer, "exact")))).toEqual([
      [0, 1, 2, 5, 6, 10, 11],
      [0, 5, 6, 10, 11],
      [0, 1, 2, 10, 11],
    ]);
    expect(Array.from(unmasked.union)).toEqual(Array.from(plan.union));
    expect(unmasked.removals).toEqual(plan.removals);
  });

  it("takes the shared view's retained mass for them and leaves the plan alone when none is listed", () => {
    const unmasked = withUnmaskedLayers(plan, [0, 1]);
    // Layer 1 has mass 1 everywhere: the union keeps 7 of 12, its own set 5 of 12.
    expect(plan.retainedMass.exact[1]).toBeCloseTo(5 / 12, 12);
    expect(unmasked.retainedMass.exact).toEqual([null, plan.retainedMass.shared[1], null]);
    expect(unmasked.retainedMass.shared[1]).toBeCloseTo(7 / 12, 12);
    expect(withUnmaskedLayers(plan, [])).toBe(plan);
  });
});
