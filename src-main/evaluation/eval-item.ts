import { firstStopIndex } from "../engine/stop-text";
import type { MetricName } from "./metrics";

/** One question about one document, with the answers that count as right. */
export interface EvalItem {
  /** Unique within a run; results are keyed by it. */
  id: string;
  /** The document the cache holds (and compresses). */
  context: string;
  /** Asked after the document; question-aware compression scores with it as the window. */
  question: string;
  answers: string[];
  metric: MetricName;
  /** Tokens to generate at most. */
  maxTokens: number;
  /** The answer ends at the first of these; the rest of the generation is ignored. */
  stop: string[];
  /** Needle-in-a-haystack items: the grid cell (context length in tokens, relative depth), for heatmaps. */
  grid?: { length: number; depth: number };
  /** Where the answer-bearing text sits in `context` (character ranges), for the survival analysis. */
  answerSpans?: { start: number; end: number }[];
}

/**
 * The part of a prediction that is the answer: up to the first stop text after its leading whitespace
 * (a base model often starts its continuation with a line break before it answers).
 */
export function answerPart(item: Pick<EvalItem, "stop">, generated: string): string {
  const end = firstStopIndex(generated, item.stop);
  return (end < 0 ? generated : generated.slice(0, end)).trim();
}
