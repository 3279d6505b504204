import { budgetLabels, type ConditionSummary } from "./aggregate";
import type { Condition } from "./conditions";
import type { Interval } from "./wilson-interval";

/** Full-cache accuracy below which comparing compressed methods says nothing about compression. */
export const MIN_FULL_CACHE_SCORE = 0.7;

const percent = (value: number): string => (100 * value).toFixed(1);
const interval = (range: Interval): string => `[${(100 * range.low).toFixed(0)}-${(100 * range.high).toFixed(0)}]`;

/** "budget 64 cells (6.3 % of doc)": the share is the budget over the mean document length. */
function budgetHeader(budget: string, summaries: readonly ConditionSummary[]): string {
  const name = budget.endsWith("%") ? `budget ${budget}` : `budget ${budget} cells`;
  // The condition with the most items at this budget stands for the documents.
  const sample = summaries
    .filter((s) => s.budget === budget && s.meanBudgetCells !== null)
    .reduce<ConditionSummary | undefined>((best, s) => (best && best.count >= s.count ? best : s), undefined);
  if (!sample || sample.meanBudgetCells === null || budget.endsWith("%")) return name;
  return `${name} (${percent(sample.meanBudgetCells / sample.meanDocumentTokens)} % of doc)`;
}

/**
 * A markdown table of mean scores: the full cache first, then one row per series and one column per
 * budget (with its share of the document); each cell is the score in percent, its 95 % Wilson interval,
 * and its share of the full cache's score on the same items. Where the full cache scores below 70 %,
 * the compressed rows are left out (their figures stay in summary.json): a task the model cannot do
 * with the whole document cannot tell compression methods apart.
 */
export function resultsTable(summaries: readonly ConditionSummary[], conditions: readonly Condition[]): string {
  const budgets = budgetLabels(conditions);
  const lines: string[] = [];
  const full = summaries.find((s) => s.method === "full");
  if (full) lines.push(`full cache: ${percent(full.mean)} % ${interval(full.interval)} (${full.count} items)`, "");
  const gated = full !== undefined && full.mean < MIN_FULL_CACHE_SCORE;
  const header = budgets.map((budget) => budgetHeader(budget, summaries));
  lines.push(`| method | ${header.join(" | ")} |`, `|---|${budgets.map(() => "---:").join("|")}|`);
  if (full)
    lines.push(`| full cache | ${budgets.map(() => `${percent(full.mean)} ${interval(full.interval)}`).join(" | ")} |`);
  const series = gated ? [] : [...new Set(summaries.filter((s) => s.method !== "full").map((s) => s.series))];
  for (const name of series) {
    const cells = budgets.map((budget) => {
      const summary = summaries.find((s) => s.series === name && s.budget === budget);
      if (!summary) return "";
      const relative = summary.relativeToFull === null ? "" : ` (${percent(summary.relativeToFull)} % of full)`;
      return `${percent(summary.mean)} ${interval(summary.interval)}${relative}`;
    });
    lines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  const counts = [...new Set(summaries.map((s) => s.count))];
  lines.push(
    "",
    `Scores in percent with 95 % Wilson intervals; ${counts.length === 1 ? `${counts[0]} items` : `${counts.join(" / ")} items`} per cell.`,
  );
  if (gated)
    lines.push(
      `The full cache scores below ${percent(MIN_FULL_CACHE_SCORE)} %: compressed methods are not compared here (summary.json has their figures).`,
    );
  for (const summary of summaries) {
    for (const reason of summary.fallbackReasons) lines.push(`note: ${summary.condition}: ${reason}`);
  }
  if (!gated) lines.push(...answerKeptTable(summaries, budgets));
  return lines.join("\n");
}

/**
 * Where items have answer spans: per series and budget, how often every layer still saw the whole answer,
 * and the mean score of those items and of the others, so a loss reads as eviction or as confusion.
 */
function answerKeptTable(summaries: readonly ConditionSummary[], budgets: readonly string[]): string[] {
  const measured = summaries.filter((s) => s.answerKept !== null);
  if (measured.length === 0) return [];
  const score = (value: number | null) => (value === null ? "-" : percent(value));
  const lines = [
    "",
    "Answer kept whole in every layer: share of items, then the score of those items / of the others.",
    "",
    `| method | ${budgets.map((budget) => `budget ${budget}`).join(" | ")} |`,
    `|---|${budgets.map(() => "---:").join("|")}|`,
  ];
  for (const name of new Set(measured.map((s) => s.series))) {
    const cells = budgets.map((budget) => {
      const kept = measured.find((s) => s.series === name && s.budget === budget)?.answerKept;
      return kept ? `${percent(kept.share)} % (${score(kept.scoreKept)} / ${score(kept.scoreLost)})` : "";
    });
    lines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  return lines;
}
