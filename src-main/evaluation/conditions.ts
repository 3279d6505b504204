import type { MethodName } from "../compresskv/method";

/** A cache budget: a number of KV cells, or a share of each document's tokens. */
export type BudgetSpec = { cells: number } | { percent: number };

/** One way of running every item: a method at a budget, reading with or without the question. */
export interface Condition {
  method: MethodName;
  /** null for the full cache. */
  budget: BudgetSpec | null;
  questionAware: boolean;
  /**
   * CompressKV's exact plan: each layer attends only to its own kept set (per-layer masks), as the paper
   * does; absent or false: the shared plan (every layer sees the union), our default.
   */
  exactPlan?: boolean;
}

export function budgetLabel(budget: BudgetSpec): string {
  return "cells" in budget ? String(budget.cells) : `${budget.percent}%`;
}

/** "123" is 123 cells; "6%" is 6 % of each document's tokens. */
export function parseBudget(text: string): BudgetSpec {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (percent) {
    const value = Number(percent[1]);
    if (value <= 0 || value >= 100) throw new Error(`budget ${trimmed}: a share must be above 0 % and below 100 %`);
    return { percent: value };
  }
  const cells = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || cells < 1)
    throw new Error(`budget ${trimmed}: expected a number of cells (e.g. 128) or a share (e.g. 6%)`);
  return { cells };
}

/** Cells the budget gives a document of `documentTokens` tokens. */
export function budgetCells(budget: BudgetSpec, documentTokens: number): number {
  return "cells" in budget ? budget.cells : Math.round((budget.percent / 100) * documentTokens);
}

/** Ascending budgets: cell counts first, then shares. */
export function compareBudgets(a: BudgetSpec, b: BudgetSpec): number {
  if ("cells" in a !== "cells" in b) return "cells" in a ? -1 : 1;
  return ("cells" in a ? a.cells : a.percent) - ("cells" in b ? b.cells : (b as { percent: number }).percent);
}

/** The series a condition belongs to in tables and plots: the method, marked when question-agnostic. */
export function seriesLabel(condition: Pick<Condition, "method" | "questionAware" | "exactPlan">): string {
  if (condition.method === "full") return condition.method;
  const marks = [...(condition.questionAware ? [] : ["agnostic"]), ...(condition.exactPlan ? ["exact plan"] : [])];
  return marks.length ? `${condition.method} (${marks.join(", ")})` : condition.method;
}

/** A condition's stable name, used as its key in the results: "full", "snapkv@128", "compresskv@6%/agnostic". */
export function conditionKey(condition: Condition): string {
  if (condition.budget === null) return condition.method;
  return `${condition.method}@${budgetLabel(condition.budget)}${condition.questionAware ? "" : "/agnostic"}${condition.exactPlan ? "/exact" : ""}`;
}

/** A method read with or without the question: one line of a table or plot. */
export type Series = Pick<Condition, "method" | "questionAware" | "exactPlan">;

/**
 * Methods as "snapkv", "compresskv:agnostic" or "compresskv:aware", with ":exact" for the exact plan
 * ("compresskv:aware:exact"); a method without a mode runs in each of `defaultModes` (true:
 * question-aware). The full cache has no mode.
 */
export function parseSeries(list: string, known: readonly MethodName[], defaultModes: readonly boolean[]): Series[] {
  const series: Series[] = [];
  for (const entry of list
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, ...marks] = entry.split(":");
    if (!known.includes(name as MethodName)) throw new Error(`method ${name}: expected one of ${known.join(", ")}`);
    const exactPlan = marks.includes("exact");
    const modeMarks = marks.filter((mark) => mark !== "exact");
    const mode = modeMarks[0];
    if (modeMarks.length > 1 || (mode !== undefined && mode !== "aware" && mode !== "agnostic")) {
      throw new Error(`method ${entry}: the mode after ":" is aware or agnostic (and ":exact" for the exact plan)`);
    }
    const method = name as MethodName;
    const modes = method === "full" ? [true] : mode === undefined ? defaultModes : [mode === "aware"];
    for (const questionAware of modes) {
      const plan = exactPlan && method !== "full" ? { exactPlan: true } : {};
      if (!series.some((s) => s.method === method && s.questionAware === questionAware && !!s.exactPlan === exactPlan))
        series.push({ method, questionAware, ...plan });
    }
  }
  if (series.length === 0) throw new Error("no methods given");
  return series;
}

/** Every series at every budget, ascending; the full cache once, without a budget. */
export function conditionGrid(series: readonly Series[], budgets: readonly BudgetSpec[]): Condition[] {
  const sorted = [...budgets].sort(compareBudgets);
  return series.flatMap(({ method, questionAware, exactPlan }): Condition[] =>
    method === "full"
      ? [{ method, budget: null, questionAware: true }]
      : sorted.map((budget) => ({ method, budget, questionAware, ...(exactPlan ? { exactPlan } : {}) })),
  );
}
