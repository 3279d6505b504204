import { uniformBudgets } from "../budgets";
import { defineMethod } from "../method";
import { createPrng } from "../prng";

/** Random tokens from a seeded PRNG; every layer draws the same sequence, so all layers keep the same set. */
export const randomTokens = defineMethod(
  { name: "random", label: "Random (seeded)", needsAttention: false, needsProfile: false },
  ({ shape, seed = 0 }) => ({
    capturedHeads: () => [],
    layerBudgets: (request) => uniformBudgets(shape.nLayers, request.budget),
    score: (_layer, request) => {
      const next = createPrng(seed);
      const draws = new Float64Array(Math.max(0, request.n - request.window));
      for (let j = 0; j < draws.length; j++) draws[j] = next();
      return draws;
    },
  }),
);
