import { uniformBudgets } from "../budgets";
import { defineMethod } from "../method";
import { headGuidedScoring } from "./head-guided";

/** Retrieval-head guided: window scoring over each layer's top heads by the older top-1 retrieval score. */
export const retrievalHeads = defineMethod(
  { name: "retrieval-heads", label: "Retrieval heads (top-1 score)", needsAttention: true, needsProfile: true },
  (context) => ({
    ...headGuidedScoring(context, (profile) => profile.retrievalHeads),
    layerBudgets: (request) => uniformBudgets(context.shape.nLayers, request.budget),
  }),
);
