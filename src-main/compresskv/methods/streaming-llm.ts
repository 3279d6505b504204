import { uniformBudgets } from "../budgets";
import { defineMethod } from "../method";

/** StreamingLLM: the attention sinks plus the most recent tokens. */
export const streamingLlm = defineMethod(
  { name: "streaming-llm", label: "StreamingLLM (sinks + recent)", needsAttention: false, needsProfile: false },
  ({ shape }) => ({
    capturedHeads: () => [],
    layerBudgets: (request) => uniformBudgets(shape.nLayers, request.budget),
    score: (_layer, request) => {
      const recency = new Float64Array(Math.max(0, request.n - request.window));
      for (let j = 0; j < recency.length; j++) recency[j] = j;
      return recency;
    },
  }),
);
