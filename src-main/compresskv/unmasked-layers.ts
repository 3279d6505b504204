import type { PhysicalPlan } from "./physical-plan";

/**
 * The plan with `layers` attending to the whole union in either view, so the exact plan never masks
 * them. Used for a sliding-window model's window layers: they read their own cache, which llama.cpp
 * keeps to the window, so the plan neither chooses for them nor hides cells of the global cache from them.
 */
export function withUnmaskedLayers(plan: PhysicalPlan, layers: Iterable<number>): PhysicalPlan {
  const unmasked = new Set(layers);
  if (unmasked.size === 0) return plan;
  return {
    ...plan,
    kept: plan.kept.map((kept, layer) => (unmasked.has(layer) ? plan.union : kept)),
    retainedMass: {
      shared: plan.retainedMass.shared,
      exact: plan.retainedMass.exact.map((mass, layer) =>
        unmasked.has(layer) ? plan.retainedMass.shared[layer] : mass,
      ),
    },
  };
}
