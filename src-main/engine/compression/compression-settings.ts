import {
  DEFAULT_HEADS_PER_LAYER,
  DEFAULT_POOLING,
  DEFAULT_SINKS,
  DEFAULT_WINDOW,
  type PoolingKind,
} from "../../compresskv/types";
import type { MethodName } from "../../compresskv/method";
import type { PlanView } from "../../compresskv/physical-plan";
import { DEFAULT_RESERVOIR_MULTIPLE, MAX_RESERVOIR_MULTIPLE } from "../../compresskv/reservoir";

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
  /**
   * Score with the question as the window. With a reservoir, the document is read once into it and each
   * question chooses the budget from it; without one, the document is read again per question.
   */
  questionAware: boolean;
  /**
   * Question-aware reading only: the reservoir R as a multiple of the budget (R = multiple x budget,
   * bounded by the document and by memory). 0: no reservoir, the document is read again per question.
   */
  reservoirMultiple: number;
  /** Tokens read between compressions. */
  chunkTokens: number;
  seed: number;
  /**
   * Every layer gets the budget B whatever the method's own layer budgets (CompressKV's error-based ones,
   * PyramidKV's pyramid): an ablation measured by the evaluation, not offered in the app.
   */
  uniformLayerBudgets?: boolean;
  /**
   * The budget counts per layer, as in the paper: every layer keeps its own B_l tokens and the cache
   * holds the union of the layers' sets, up to L x B cells (with the exact plan, each layer sees only its
   * own). Measures what our shared-cell accounting costs a method; evaluation only.
   */
  perLayerBudget?: boolean;
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
  reservoirMultiple: DEFAULT_RESERVOIR_MULTIPLE,
  chunkTokens: 1024,
  seed: 1,
};

/**
 * How a compressed document is read. reservoir: once, question-agnostically, into R cells; each question
 * keeps the budget out of them (the rest is masked, not removed). question-aware: again per question, with
 * the question as the window. question-agnostic: once, to the budget, whatever the question.
 */
export type ReadingMode = "reservoir" | "question-aware" | "question-agnostic";

export const READING_MODES = [
  "reservoir",
  "question-aware",
  "question-agnostic",
] as const satisfies readonly ReadingMode[];

export { MAX_RESERVOIR_MULTIPLE };

/** Cells a session keeps free beside the document for the chat, the question and the answer (unless told). */
export const ANSWER_RESERVE_CELLS = 2048;

export function readingModeOf(settings: Pick<CompressionSettings, "questionAware" | "reservoirMultiple">): ReadingMode {
  if (!settings.questionAware) return "question-agnostic";
  return settings.reservoirMultiple > 0 ? "reservoir" : "question-aware";
}

/** `settings` read in `mode`; a reservoir keeps its multiple (the default one when it had none). */
export function withReadingMode(settings: CompressionSettings, mode: ReadingMode): CompressionSettings {
  const multiple = settings.reservoirMultiple > 0 ? settings.reservoirMultiple : DEFAULT_RESERVOIR_MULTIPLE;
  return {
    ...settings,
    questionAware: mode !== "question-agnostic",
    reservoirMultiple: mode === "reservoir" ? multiple : 0,
  };
}
