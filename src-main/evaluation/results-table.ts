import { budgetLabels, type ConditionSummary } from "./aggregate";
import type { Condition } from "./conditions";

const percent = (value: number): string => (100 * value).toFixed(1);

/**
 * A markdown table of mean scores: one row per series, one column per budget; each cell is the score in
 * percent, then in brackets its share of the full cache's score on the same items.
 */
export function resultsTable(summaries: readonly ConditionSummary[], conditions: readonly Condition[]): string {
  const budgets = budgetLabels(conditions);
  const lines: string[] = [];
  const full = summaries.find((s) => s.method === "full");
  if (full) lines.push(`full cache: ${percent(full.mean)} % (${full.count} items)`, "");
  const header = budgets.map((budget) => (budget.endsWith("%") ? `budget ${budget}` : `budget ${budget} cells`));
  lines.push(`| method | ${header.join(" | ")} |`, `|---|${budgets.map(() => "---:").join("|")}|`);
  const series = [...new Set(summaries.filter((s) => s.method !== "full").map((s) => s.series))];
  for (const name of series) {
    const cells = budgets.map((budget) => {
      const summary = summaries.find((s) => s.series === name && s.budget === budget);
      if (!summary) return "";
      const relative = summary.relativeToFull === null ? "" : ` (${percent(summary.relativeToFull)} % of full)`;
      return `${percent(summary.mean)}${relative}`;
    });
    lines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  const counts = [...new Set(summaries.map((s) => s.count))];
  lines.push(
    "",
    `Scores in percent; ${counts.length === 1 ? `${counts[0]} items` : `${counts.join(" / ")} items`} per cell.`,
  );
  for (const summary of summaries) {
    for (const reason of summary.fallbackReasons) lines.push(`note: ${summary.condition}: ${reason}`);
  }
  return lines.join("\n");
}
