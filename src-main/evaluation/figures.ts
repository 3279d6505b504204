import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { budgetLabels, gridSummary, summarizeConditions } from "./aggregate";
import { budgetLabel, conditionKey, seriesLabel, type Condition } from "./conditions";
import { budgetPlotSvg } from "./svg/budget-plot";
import { niahHeatmapSvg } from "./svg/niah-heatmap";
import type { TrialResult } from "./trial-result";

/** "compresskv@6%/agnostic" as a file name: heatmap-compresskv-6pct-agnostic.svg */
export function heatmapFileName(condition: string): string {
  return `heatmap-${condition.replace("%", "pct").replace(/[@/]/g, "-")}.svg`;
}

export const BUDGET_PLOT_FILE = "accuracy-vs-budget.svg";

/** "128" as a file name: answer-survival-128.svg */
export function survivalFileName(budget: string): string {
  return `answer-survival-${budget.replace("%", "pct")}.svg`;
}

/**
 * Writes the pictures of a run into `folder`: a NIAH heatmap per condition that has grid items, and the
 * score-against-budget plot with every series. Returns the files written.
 */
export async function writeFigures(
  folder: string,
  results: readonly TrialResult[],
  conditions: readonly Condition[],
  modelName: string,
): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const condition of conditions) {
    const key = conditionKey(condition);
    const grid = gridSummary(results, key);
    if (grid.lengths.length === 0) continue;
    const path = join(folder, heatmapFileName(key));
    const title = `${modelName}: ${seriesLabel(condition)}, ${condition.budget ? `budget ${budgetLabel(condition.budget)}` : "full cache"}`;
    await writeFile(path, niahHeatmapSvg(grid, title));
    written.push(path);
  }
  const summaries = summarizeConditions(results, conditions);
  const budgets = budgetLabels(conditions);
  if (budgets.length > 0 && summaries.length > 0) {
    const seriesNames = [...new Set(summaries.filter((s) => s.method !== "full").map((s) => s.series))];
    const full = summaries.find((s) => s.method === "full");
    const svg = budgetPlotSvg({
      title: `${modelName}: score against budget`,
      budgets,
      series: seriesNames.map((label) => ({
        label,
        scores: budgets.map((budget) => summaries.find((s) => s.series === label && s.budget === budget)?.mean ?? null),
      })),
      full: full?.mean,
      xLabel: budgets.every((b) => b.endsWith("%")) ? "budget (share of the document)" : "budget (KV cells)",
    });
    const path = join(folder, BUDGET_PLOT_FILE);
    await writeFile(path, svg);
    written.push(path);
  }
  // Per budget: how much of the answer each layer still saw, one line per method.
  for (const budget of budgets) {
    const atBudget = summaries.filter((s) => s.budget === budget && s.answerSurvival.length > 0);
    if (atBudget.length === 0) continue;
    const layers = atBudget[0].answerSurvival.map((_, layer) => String(layer));
    const svg = budgetPlotSvg({
      title: `${modelName}: answer tokens kept per layer, budget ${budget}`,
      budgets: layers,
      series: atBudget.map((s) => ({ label: s.series, scores: s.answerSurvival })),
      xLabel: "layer",
      yLabel: "answer kept (%)",
    });
    const path = join(folder, survivalFileName(budget));
    await writeFile(path, svg);
    written.push(path);
  }
  return written;
}
