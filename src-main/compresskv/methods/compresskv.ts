import { adaptiveBudgets } from "../budgets";
import { defineMethod } from "../method";
import { headGuidedScoring, requireProfile } from "./head-guided";

/** CompressKV: window scoring over each layer's semantic retrieval heads, layer-adaptive budgets. */
export const compressKv = defineMethod(
  {
    name: "compresskv",
    label: "CompressKV (semantic heads, adaptive budgets)",
    needsAttention: true,
    needsProfile: true,
  },
  (context) => {
    const scoring = headGuidedScoring(context, (profile) => profile.semanticHeads);
    const weights = requireProfile(context).layerWeights;
    return {
      ...scoring,
      layerBudgets: (request) => adaptiveBudgets(weights, request.budget),
    };
  },
);
