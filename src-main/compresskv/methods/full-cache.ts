import { defineMethod } from "../method";

/** Keeps every token (the reference point); ranks older tokens first should a physical plan have to trim. */
export const fullCache = defineMethod(
  { name: "full", label: "Full cache", needsAttention: false, needsProfile: false },
  ({ shape }) => ({
    capturedHeads: () => [],
    layerBudgets: (request) => new Int32Array(shape.nLayers).fill(request.n),
    score: (_layer, request) => new Float64Array(Math.max(0, request.n - request.window)),
  }),
);
