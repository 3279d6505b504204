import { describe, expect, it } from "vitest";
import { gridSummary, summarizeConditions } from "../../../src-main/evaluation/aggregate";
import type { Condition } from "../../../src-main/evaluation/conditions";
import { progressLine } from "../../../src-main/evaluation/progress-line";
import { resultsTable } from "../../../src-main/evaluation/results-table";
import type { TrialResult } from "../../../src-main/evaluation/trial-result";

function result(item: string, condition: string, score: number, extra: Partial<TrialResult> = {}): TrialResult {
  const [method, budget] = condition.split("@");
  return {
    key: `${item}|${condition}`,
    item,
    condition,
    series: method,
    method,
    budget: budget ?? null,
    questionAware: true,
    metric: "exact-match",
    answers: ["1"],
    generated: "",
    prediction: "",
    score,
    documentTokens: 1000,
    budgetCells: budget ? Number(budget) : null,
    cacheCells: 0,
    methodUsed: method,
    openMs: 0,
    prefillMs: 0,
    decodeMs: 0,
    scoringMs: 0,
    removalMs: 0,
    ...extra,
  };
}

const conditions: Condition[] = [
  { method: "full", budget: null, questionAware: true },
  { method: "snapkv", budget: { cells: 64 }, questionAware: true },
  { method: "snapkv", budget: { cells: 128 }, questionAware: true },
];

describe("summaries", () => {
  // Full cache right on a, b, c; missing on d. SnapKV@64 right on a and d, wrong on b and c.
  const results = [
    result("a", "full", 1),
    result("b", "full", 1),
    result("c", "full", 1),
    result("a", "snapkv@64", 1),
    result("b", "snapkv@64", 0),
    result("c", "snapkv@64", 0),
    result("d", "snapkv@64", 1),
    result("a", "snapkv@128", 1, { fallbackReason: "no probe" }),
  ];

  it("average each condition and compare with the full cache on the same items", () => {
    const [full, at64, at128] = summarizeConditions(results, conditions);
    expect(full).toMatchObject({ condition: "full", mean: 1, count: 3, relativeToFull: 1, meanBudgetCells: null });
    // 2 of 4 right; on a, b, c (the items full has) 1 of 3, against 3 of 3.
    expect(at64).toMatchObject({ condition: "snapkv@64", mean: 0.5, count: 4, budget: "64", meanBudgetCells: 64 });
    expect(at64.relativeToFull).toBeCloseTo(1 / 3, 15);
    expect(at128).toMatchObject({ mean: 1, count: 1, fallbackReasons: ["no probe"] });
  });

  it("print as a table of budgets", () => {
    expect(resultsTable(summarizeConditions(results, conditions), conditions)).toBe(
      [
        "full cache: 100.0 % [44-100] (3 items)",
        "",
        "| method | budget 64 cells (6.4 % of doc) | budget 128 cells (12.8 % of doc) |",
        "|---|---:|---:|",
        "| full cache | 100.0 [44-100] | 100.0 [44-100] |",
        "| snapkv | 50.0 [15-85] (33.3 % of full) | 100.0 [21-100] (100.0 % of full) |",
        "",
        "Scores in percent with 95 % Wilson intervals; 3 / 4 / 1 items per cell.",
        "note: snapkv@128: no probe",
      ].join("\n"),
    );
  });

  it("tell an evicted answer from a kept one that was still answered wrong", () => {
    const survival = [
      result("a", "full", 1),
      result("b", "full", 1),
      result("a", "snapkv@64", 1, { answerSurvival: [1, 1] }),
      result("b", "snapkv@64", 0, { answerSurvival: [1, 0.5] }),
      result("c", "snapkv@64", 0.5, { answerSurvival: [0, 0] }),
      result("d", "snapkv@64", 0, { answerSurvival: [1, 1] }),
      result("a", "snapkv@128", 1),
    ];
    const [full, at64, at128] = summarizeConditions(survival, conditions);
    expect(full.answerKept).toBeNull();
    // Kept whole on a and d (scores 1 and 0), not on b and c (0 and 0.5).
    expect(at64.answerKept).toEqual({ share: 0.5, scoreKept: 0.5, scoreLost: 0.25 });
    expect(at128.answerKept).toBeNull();
    expect(resultsTable(summarizeConditions(survival, conditions), conditions).split("\n").slice(-5)).toEqual([
      "Answer kept whole in every layer: share of items, then the score of those items / of the others.",
      "",
      "| method | budget 64 | budget 128 |",
      "|---|---:|---:|",
      "| snapkv | 50.0 % (50.0 / 25.0) |  |",
    ]);
  });

  it("leave compressed rows out where the full cache scores below 70 %", () => {
    const weak = [result("a", "full", 1), result("b", "full", 0), result("a", "snapkv@64", 1)];
    const table = resultsTable(summarizeConditions(weak, conditions), conditions);
    expect(table).toContain("full cache: 50.0 % [9-91] (2 items)");
    expect(table).not.toContain("| snapkv |");
    expect(table).toContain("The full cache scores below 70.0 %: compressed methods are not compared here");
  });

  it("lay NIAH results out by length and depth", () => {
    const grid = gridSummary(
      [
        result("x", "full", 1, { grid: { length: 2048, depth: 0 } }),
        result("y", "full", 0, { grid: { length: 512, depth: 1 } }),
        result("z", "full", 1, { grid: { length: 512, depth: 1 } }),
        result("w", "snapkv@64", 1, { grid: { length: 512, depth: 0 } }),
      ],
      "full",
    );
    expect(grid).toEqual({
      lengths: [512, 2048],
      depths: [0, 1],
      cells: [
        [null, { mean: 0.5, count: 2 }],
        [{ mean: 1, count: 1 }, null],
      ],
    });
  });
});

describe("progress line", () => {
  it("shows the bar, counts and an estimate from this run's pace", () => {
    expect(progressLine({ done: 15, total: 40, doneNow: 5, elapsedMs: 50_000, label: "item-3 snapkv@64" }, 8)).toBe(
      "[###-----]  15/40  37%  50s elapsed, about 4m10s left  item-3 snapkv@64",
    );
    expect(progressLine({ done: 10, total: 40, doneNow: 0, elapsedMs: 0 }, 4)).toBe(
      "[#---]  10/40  25%  0s elapsed, estimating",
    );
    expect(progressLine({ done: 40, total: 40, doneNow: 40, elapsedMs: 7_500_000 }, 4)).toBe(
      "[####]  40/40  100%  2h05m elapsed, done",
    );
  });
});
