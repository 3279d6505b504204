import type { KvPressMethod, MethodContext, MethodDefinition, MethodName } from "../method";
import { compressKv } from "./compresskv";
import { fullCache } from "./full-cache";
import { pyramidKv } from "./pyramidkv";
import { randomTokens } from "./random";
import { retrievalHeads } from "./retrieval-heads";
import { snapKv } from "./snapkv";
import { streamingLlm } from "./streaming-llm";

export { withUniformLayerBudgets } from "./uniform-layer-budgets";

/** Every method, in the order a user sees them. */
export const methodRegistry: readonly MethodDefinition[] = [
  fullCache,
  streamingLlm,
  snapKv,
  pyramidKv,
  retrievalHeads,
  compressKv,
  randomTokens,
];

export function createMethod(name: MethodName, context: MethodContext): KvPressMethod {
  const definition = methodRegistry.find((candidate) => candidate.name === name);
  if (definition === undefined) throw new Error(`unknown method ${name}`);
  return definition.create(context);
}
