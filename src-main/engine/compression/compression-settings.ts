import {
  DEFAULT_HEADS_PER_LAYER,
  DEFAULT_POOLING,
  DEFAULT_SINKS,
  DEFAULT_WINDOW,
  type PoolingKind,
} from "../../compresskv/types";
import type { MethodName } from "../../compresskv/method";
import type { PlanView } from "../../compresskv/physical-plan";

/** How a document session compresses its KV cache. Browser-safe: types and constants only. */
export interface CompressionSettings {
  method: MethodName;
  /** KV cells the document may occupy (the memory budget, in tokens). */
  budget: number;
  /** Observation window (question-agnostic: the end of each chunk). */
  window: number;
  sinks: number;
  pooling: { kind: PoolingKind; kernel: number };
  headsPerLayer: number;
  /** shared: every layer sees every kept cell; exact: each layer sees only its own set (masking). */
  plan: PlanView;
  /** Score with the question as the window (reads the document again per question). */
  questionAware: boolean;
  /** Tokens read between compressions. */
  chunkTokens: number;
  seed: number;
}

export const METHOD_NAMES = [
  "full",
  "streaming-llm",
  "snapkv",
  "pyramidkv",
  "retrieval-heads",
  "compresskv",
  "random",
] as const satisfies readonly MethodName[];

export const DEFAULT_COMPRESSION: CompressionSettings = {
  method: "compresskv",
  budget: 2048,
  window: DEFAULT_WINDOW,
  sinks: DEFAULT_SINKS,
  pooling: DEFAULT_POOLING,
  headsPerLayer: DEFAULT_HEADS_PER_LAYER,
  plan: "shared",
  questionAware: true,
  chunkTokens: 1024,
  seed: 1,
};
