import type { MethodName } from "../compresskv/method";
import type { CompressionSettings } from "../engine/compression/compression-settings";

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
  /** Knobs of the method changed for this series only, so that named options run side by side on the same items. */
  variant?: MethodVariant;
}

/**
 * The paper's knobs a series may change: uniform layer budgets, heads per layer, the pooling kernel, and
 * the paper's memory accounting (each layer keeps B_l tokens of its own; the cache holds their union).
 */
export type MethodVariant = Partial<
  Pick<CompressionSettings, "uniformLayerBudgets" | "headsPerLayer" | "pooling" | "perLayerBudget">
>;

/** Each knob a variant changes: its mark in keys and method lists ("heads=8") and its words in labels. */
function variantParts(variant: MethodVariant | undefined): { mark: string; words: string }[] {
  if (!variant) return [];
  return [
    ...(variant.uniformLayerBudgets ? [{ mark: "uniform", words: "uniform layer budgets" }] : []),
    ...(variant.headsPerLayer !== undefined
      ? [{ mark: `heads=${variant.headsPerLayer}`, words: `${variant.headsPerLayer} heads per layer` }]
      : []),
    ...(variant.pooling
      ? [
          {
            mark: `pool=${variant.pooling.kind}${variant.pooling.kernel}`,
            words: `${variant.pooling.kind} pooling ${variant.pooling.kernel}`,
          },
        ]
      : []),
    ...(variant.perLayerBudget ? [{ mark: "per-layer", words: "B per layer" }] : []),
  ];
}

/** "uniform", "heads=8", "pool=max7", "per-layer" (mark by mark, in that order), or "" for no variant. */
export function variantKey(variant: MethodVariant | undefined): string {
  return variantParts(variant)
    .map((part) => part.mark)
    .join("/");
}

/** A variant mark of a method list entry ("uniform", "heads=8", "pool=max7"), or undefined when it is none. */
function parseVariantMark(mark: string): MethodVariant | undefined {
  if (mark === "uniform") return { uniformLayerBudgets: true };
  if (mark === "per-layer") return { perLayerBudget: true };
  const heads = /^heads=(\d+)$/.exec(mark);
  if (heads && Number(heads[1]) >= 1) return { headsPerLayer: Number(heads[1]) };
  const pool = /^pool=(avg|max)(\d+)$/.exec(mark);
  if (pool && Number(pool[2]) % 2 === 1)
    return { pooling: { kind: pool[1] as "avg" | "max", kernel: Number(pool[2]) } };
  return undefined;
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
export function seriesLabel(condition: Series): string {
  if (condition.method === "full") return condition.method;
  const marks = [
    ...(condition.questionAware ? [] : ["agnostic"]),
    ...(condition.exactPlan ? ["exact plan"] : []),
    ...variantParts(condition.variant).map((part) => part.words),
  ];
  return marks.length ? `${condition.method} (${marks.join(", ")})` : condition.method;
}

/** A condition's stable name, used as its key in the results: "full", "snapkv@128", "compresskv@6%/agnostic". */
export function conditionKey(condition: Condition): string {
  if (condition.budget === null) return condition.method;
  const variant = variantKey(condition.variant);
  return `${condition.method}@${budgetLabel(condition.budget)}${condition.questionAware ? "" : "/agnostic"}${condition.exactPlan ? "/exact" : ""}${variant ? `/${variant}` : ""}`;
}

/** A method read with or without the question: one line of a table or plot. */
export type Series = Pick<Condition, "method" | "questionAware" | "exactPlan" | "variant">;

/**
 * Methods as "snapkv", "compresskv:agnostic" or "compresskv:aware", with ":exact" for the exact plan
 * ("compresskv:aware:exact") and variant marks ("compresskv:uniform:heads=8:pool=max7"); a method without
 * a mode runs in each of `defaultModes` (true: question-aware). The full cache has no mode.
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
    let variant: MethodVariant | undefined;
    const modeMarks: string[] = [];
    for (const mark of marks.filter((mark) => mark !== "exact")) {
      const part = parseVariantMark(mark);
      if (part) variant = { ...variant, ...part };
      else modeMarks.push(mark);
    }
    const mode = modeMarks[0];
    if (modeMarks.length > 1 || (mode !== undefined && mode !== "aware" && mode !== "agnostic")) {
      throw new Error(
        `method ${entry}: the mode after ":" is aware or agnostic (and ":exact" for the exact plan; ` +
          `":uniform", ":heads=N" or ":pool=avgK|maxK", K odd, for a variant)`,
      );
    }
    const method = name as MethodName;
    const modes = method === "full" ? [true] : mode === undefined ? defaultModes : [mode === "aware"];
    for (const questionAware of modes) {
      const plan = exactPlan && method !== "full" ? { exactPlan: true } : {};
      const marked = variant && method !== "full" ? { variant } : {};
      const key = variantKey(marked.variant);
      if (
        !series.some(
          (s) =>
            s.method === method &&
            s.questionAware === questionAware &&
            !!s.exactPlan === exactPlan &&
            variantKey(s.variant) === key,
        )
      )
        series.push({ method, questionAware, ...plan, ...marked });
    }
  }
  if (series.length === 0) throw new Error("no methods given");
  return series;
}

/** Every series at every budget, ascending; the full cache once, without a budget. */
export function conditionGrid(series: readonly Series[], budgets: readonly BudgetSpec[]): Condition[] {
  const sorted = [...budgets].sort(compareBudgets);
  return series.flatMap(({ method, questionAware, exactPlan, variant }): Condition[] =>
    method === "full"
      ? [{ method, budget: null, questionAware: true }]
      : sorted.map((budget) => ({
          method,
          budget,
          questionAware,
          ...(exactPlan ? { exactPlan } : {}),
          ...(variant ? { variant } : {}),
        })),
  );
}
