import { sharedWords as overlap, words } from "../calibration/rouge";

/** The standard answer metrics of extractive and generative QA sets (SQuAD, LongBench, RULER). */
export const METRIC_NAMES = ["exact-match", "rouge1-recall", "f1"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

const ARTICLES = new Set(["a", "an", "the"]);

/** SQuAD's normalisation: lower case, punctuation and articles dropped, split on what remains. */
export function answerTokens(text: string): string[] {
  return words(text).filter((word) => !ARTICLES.has(word));
}

/** 1 when the normalised prediction equals the normalised reference, else 0. */
export function exactMatch(reference: string, prediction: string): number {
  return answerTokens(reference).join(" ") === answerTokens(prediction).join(" ") ? 1 : 0;
}

/** Share of the reference's tokens found in the prediction (0 for an empty reference). */
export function rouge1Recall(reference: string, prediction: string): number {
  const expected = answerTokens(reference);
  return expected.length === 0 ? 0 : overlap(expected, answerTokens(prediction)) / expected.length;
}

/** Harmonic mean of token precision and recall (SQuAD's F1); two empty answers agree fully. */
export function f1Score(reference: string, prediction: string): number {
  const expected = answerTokens(reference);
  const predicted = answerTokens(prediction);
  if (expected.length === 0 || predicted.length === 0) return expected.length === predicted.length ? 1 : 0;
  const shared = overlap(expected, predicted);
  if (shared === 0) return 0;
  const precision = shared / predicted.length;
  const recall = shared / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

const METRICS: Record<MetricName, (reference: string, prediction: string) => number> = {
  "exact-match": exactMatch,
  "rouge1-recall": rouge1Recall,
  f1: f1Score,
};

/** The best score of the prediction against any of the accepted answers. */
export function scoreAnswer(metric: MetricName, answers: readonly string[], prediction: string): number {
  return Math.max(0, ...answers.map((answer) => METRICS[metric](answer, prediction)));
}
