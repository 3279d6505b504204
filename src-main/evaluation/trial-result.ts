import type { MetricName } from "./metrics";

/** One item answered under one condition: a line of results.jsonl. */
export interface TrialResult {
  /** `${item}|${condition}`: unique in a run. */
  key: string;
  item: string;
  condition: string;
  /** The series it belongs to (method, marked when question-agnostic). */
  series: string;
  method: string;
  /** The budget as asked ("128", "6%"); null for the full cache. */
  budget: string | null;
  questionAware: boolean;
  grid?: { length: number; depth: number };
  metric: MetricName;
  answers: string[];
  /** What the model generated, and the part of it scored as its answer. */
  generated: string;
  prediction: string;
  score: number;
  documentTokens: number;
  /** Cells the budget gave this document; null for the full cache. */
  budgetCells: number | null;
  cacheCells: number;
  /** The method that ran: differs from `method` when it fell back (see `fallbackReason`). */
  methodUsed: string;
  fallbackReason?: string;
  /** Items with answer spans, compressed: per layer, the share of the answer's tokens the layer still saw. */
  answerSurvival?: number[];
  /** Opening the session: tokenizing, and reading the document when it is read before the question. */
  openMs: number;
  /** From the question to the first answer token (question-aware methods read the document here). */
  prefillMs: number;
  /**
   * True when the reading was loaded from an earlier condition of the same item instead of evaluated
   * (its `openMs` and `prefillMs` are then not what the app takes).
   */
  sharedPrefill?: boolean;
  decodeMs: number;
  scoringMs: number;
  removalMs: number;
}

export function trialKey(item: string, condition: string): string {
  return `${item}|${condition}`;
}
