import { uniformBudgets } from "../budgets";
import { defineMethod, requireCapture } from "../method";
import { windowScores } from "../window-scores";

/** SnapKV: window attention of all query heads, pooled and averaged; the same budget in every layer. */
export const snapKv = defineMethod(
  { name: "snapkv", label: "SnapKV (all heads)", needsAttention: true, needsProfile: false },
  ({ shape }) => {
    const allHeads = Array.from({ length: shape.nHead }, (_, h) => h);
    return {
      capturedHeads: () => allHeads,
      layerBudgets: (request) => uniformBudgets(shape.nLayers, request.budget),
      score: (layer, request, capture) =>
        windowScores(requireCapture(capture, layer), request.window, request.pooling, allHeads),
    };
  },
);
