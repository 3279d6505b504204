export {
  budgetLabels,
  gridSummary,
  summarizeConditions,
  type ConditionSummary,
  type GridSummary,
  type Mean,
} from "./aggregate";
export {
  budgetCells,
  budgetLabel,
  conditionGrid,
  conditionKey,
  parseBudget,
  parseSeries,
  seriesLabel,
  type BudgetSpec,
  type Condition,
  type Series,
} from "./conditions";
export { answerPart, type EvalItem } from "./eval-item";
export { BUDGET_PLOT_FILE, heatmapFileName, writeFigures } from "./figures";
export { parseJsonlItems, TaskFileError } from "./jsonl-items";
export { answerTokens, exactMatch, f1Score, METRIC_NAMES, rouge1Recall, scoreAnswer, type MetricName } from "./metrics";
export { niahItems, type NiahGridOptions, type NiahTask } from "./niah-items";
export { formatDuration, progressLine, type ProgressState } from "./progress-line";
export { MIN_FULL_CACHE_SCORE, resultsTable } from "./results-table";
export {
  HAYSTACK_TASKS,
  haystackItems,
  isHaystackTask,
  type HaystackGridOptions,
  type HaystackTaskName,
} from "./haystack-items";
export { wilsonInterval, type Interval } from "./wilson-interval";
export { ResultsLog } from "./results-log";
export { makeManifest, manifestMismatch, readManifest, writeManifest, type RunManifest } from "./run-manifest";
export { runEvaluation, type EvaluationOptions, type MethodTuning } from "./run-evaluation";
export { trialKey, type TrialResult } from "./trial-result";
