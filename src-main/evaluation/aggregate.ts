import { budgetLabel, compareBudgets, conditionKey, seriesLabel, type Condition } from "./conditions";
import { meanSurvival } from "./answer-survival";
import type { TrialResult } from "./trial-result";
import { wilsonInterval, type Interval } from "./wilson-interval";

export interface Mean {
  mean: number;
  count: number;
}

export interface ConditionSummary extends Mean {
  condition: string;
  series: string;
  method: string;
  questionAware: boolean;
  budget: string | null;
  /** 95 % Wilson interval of the mean. */
  interval: Interval;
  /** Mean cells the budget gave the documents (null for the full cache). */
  meanBudgetCells: number | null;
  /** Mean document length in tokens. */
  meanDocumentTokens: number;
  /** Mean score over the mean full-cache score on the same items; null without full-cache results for them. */
  relativeToFull: number | null;
  /** Why the method ran as another one, when it did. */
  fallbackReasons: string[];
  /** Per layer, the mean share of the answer's tokens still seen (items with answer spans; else empty). */
  answerSurvival: number[];
  /** Whether the answer survived whole and what that did to the score; null without answer spans. */
  answerKept: AnswerKept | null;
}

/**
 * Tells a method that evicted the answer from one that kept it and still answered wrong: the share of
 * trials in which every layer still saw every answer token, and the mean score of those and of the rest
 * (null when there are none).
 */
export interface AnswerKept {
  share: number;
  scoreKept: number | null;
  scoreLost: number | null;
}

export function answerKept(trials: readonly TrialResult[]): AnswerKept | null {
  const measured = trials.filter((r) => r.answerSurvival && r.answerSurvival.length > 0);
  if (measured.length === 0) return null;
  const whole = (r: TrialResult) => r.answerSurvival!.every((share) => share >= 1);
  const kept = measured.filter(whole);
  const lost = measured.filter((r) => !whole(r));
  const mean = (group: TrialResult[]) => (group.length ? meanOf(group.map((r) => r.score)) : null);
  return { share: kept.length / measured.length, scoreKept: mean(kept), scoreLost: mean(lost) };
}

function meanOf(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Per condition (in the order given), the mean score and how it compares with the full cache. */
export function summarizeConditions(
  results: readonly TrialResult[],
  conditions: readonly Condition[],
): ConditionSummary[] {
  const fullByItem = new Map(results.filter((r) => r.condition === "full").map((r) => [r.item, r.score]));
  return conditions.flatMap((condition): ConditionSummary[] => {
    const key = conditionKey(condition);
    const own = results.filter((r) => r.condition === key);
    if (own.length === 0) return [];
    const paired = own.filter((r) => fullByItem.has(r.item));
    const fullMean = paired.length ? meanOf(paired.map((r) => fullByItem.get(r.item)!)) : 0;
    const budgets = own.flatMap((r) => (r.budgetCells === null ? [] : [r.budgetCells]));
    return [
      {
        condition: key,
        series: seriesLabel(condition),
        method: condition.method,
        questionAware: condition.questionAware,
        budget: condition.budget ? budgetLabel(condition.budget) : null,
        mean: meanOf(own.map((r) => r.score)),
        count: own.length,
        interval: wilsonInterval(
          own.reduce((sum, r) => sum + r.score, 0),
          own.length,
        ),
        meanBudgetCells: budgets.length ? meanOf(budgets) : null,
        meanDocumentTokens: meanOf(own.map((r) => r.documentTokens)),
        relativeToFull: paired.length && fullMean > 0 ? meanOf(paired.map((r) => r.score)) / fullMean : null,
        fallbackReasons: [...new Set(own.flatMap((r) => (r.fallbackReason ? [r.fallbackReason] : [])))],
        answerSurvival: meanSurvival(own.map((r) => r.answerSurvival)).map((share) => Number(share.toFixed(4))),
        answerKept: answerKept(own),
      },
    ];
  });
}

/** Mean scores of one condition on the NIAH grid: rows are context lengths, columns depths (both ascending). */
export interface GridSummary {
  lengths: number[];
  depths: number[];
  cells: (Mean | null)[][];
}

export function gridSummary(results: readonly TrialResult[], condition: string): GridSummary {
  const own = results.filter((r) => r.condition === condition && r.grid);
  const lengths = [...new Set(own.map((r) => r.grid!.length))].sort((a, b) => a - b);
  const depths = [...new Set(own.map((r) => r.grid!.depth))].sort((a, b) => a - b);
  const cells = lengths.map((length) =>
    depths.map((depth) => {
      const scores = own.filter((r) => r.grid!.length === length && r.grid!.depth === depth).map((r) => r.score);
      return scores.length ? { mean: meanOf(scores), count: scores.length } : null;
    }),
  );
  return { lengths, depths, cells };
}

/** The budgets of the conditions, as labels, ascending. */
export function budgetLabels(conditions: readonly Condition[]): string[] {
  const budgets = conditions.flatMap((c) => (c.budget ? [c.budget] : [])).sort(compareBudgets);
  return [...new Set(budgets.map(budgetLabel))];
}
