import { type CompressionSettings, DEFAULT_COMPRESSION } from "../engine/compression/compression-settings";
import type { HeadProfile } from "../compresskv";
import { DocumentSession } from "../engine/document-session";
import { PrefillMemo } from "../engine/compression/prefill-memo";
import type { LoadedModel } from "../engine/loaded-model";
import { documentTokenOffsets } from "../engine/token-offsets";
import { answerTokenPositions, layerSurvival } from "./answer-survival";
import { budgetCells, budgetLabel, conditionKey, seriesLabel, type Condition } from "./conditions";
import { answerPart, type EvalItem } from "./eval-item";
import { scoreAnswer } from "./metrics";
import type { ProgressState } from "./progress-line";
import type { ResultsLog } from "./results-log";
import { trialKey, type TrialResult } from "./trial-result";

export interface EvaluationOptions {
  /** The calibrated profile, for the head-guided methods (without it they fall back, and say so). */
  profile?: HeadProfile;
  /** Tokens read between compressions. */
  chunkTokens?: number;
  /** The paper's knobs, for every compressed condition: heads per layer, observation window, pooling. */
  tuning?: MethodTuning;
  /**
   * Read each item's prompt once for all its compressed conditions (default true): the first condition
   * that reads it records the state and the attention of every head, the others load it. The answers
   * are the same; only the timings no longer say what one session takes.
   */
  sharePrefill?: boolean;
  signal?: AbortSignal;
  onProgress?(state: ProgressState): void;
  onTrial?(result: TrialResult): void;
}

export type MethodTuning = Partial<
  Pick<CompressionSettings, "headsPerLayer" | "window" | "pooling" | "reservoirMultiple">
>;

/** Smallest budget the compression settings accept. */
const MIN_BUDGET_CELLS = 16;

/** Prompt positions of an item's answer tokens, computed once per item. */
const answerPositionsCache = new WeakMap<EvalItem, number[]>();

function answerPositions(loaded: LoadedModel, item: EvalItem): number[] | undefined {
  if (!item.answerSpans) return undefined;
  let positions = answerPositionsCache.get(item);
  if (!positions) {
    positions = answerTokenPositions(documentTokenOffsets(loaded, item.context), item.answerSpans);
    answerPositionsCache.set(item, positions);
  }
  return positions;
}

/** Answers one item under one condition in a fresh session. */
async function runTrial(
  loaded: LoadedModel,
  item: EvalItem,
  condition: Condition,
  options: EvaluationOptions,
  memo: PrefillMemo | undefined,
): Promise<TrialResult> {
  const tokenizer = loaded.model;
  const documentTokens = tokenizer.tokenize(item.context).length + (tokenizer.tokens.bos === null ? 0 : 1);
  const cells = condition.budget ? Math.max(MIN_BUDGET_CELLS, budgetCells(condition.budget, documentTokens)) : null;
  const compression =
    cells === null
      ? undefined
      : {
          ...DEFAULT_COMPRESSION,
          method: condition.method,
          budget: cells,
          questionAware: condition.questionAware,
          plan: condition.exactPlan ? ("exact" as const) : ("shared" as const),
          chunkTokens: options.chunkTokens ?? DEFAULT_COMPRESSION.chunkTokens,
          // Question-aware means the paper's reading (the document read again with the question) unless a
          // reservoir is asked for.
          reservoirMultiple: 0,
          ...options.tuning,
          ...condition.variant,
        };
  // Room after the document for the chat format's separators, the question and the answer.
  const answerReserve = tokenizer.tokenize(item.question).length + item.maxTokens + 16;
  const opening = performance.now();
  const hitsBefore = memo?.hits ?? 0;
  const session = await DocumentSession.open(loaded, item.context, {
    compression,
    profile: options.profile,
    answerReserve,
    signal: options.signal,
    ...(memo && compression ? { prefillMemo: memo } : {}),
  });
  const openMs = performance.now() - opening;
  try {
    const answer = await session.ask([], item.question, { maxTokens: item.maxTokens, signal: options.signal });
    const prediction = answerPart(item, answer.text);
    const report = answer.stats.compression;
    const key = conditionKey(condition);
    const positions = report ? answerPositions(loaded, item) : undefined;
    const survival =
      report && positions
        ? layerSurvival(
            report.layers.map((layer) => layer.visibleRanges),
            positions,
          )
        : undefined;
    return {
      key: trialKey(item.id, key),
      item: item.id,
      condition: key,
      series: seriesLabel(condition),
      method: condition.method,
      budget: condition.budget ? budgetLabel(condition.budget) : null,
      questionAware: condition.questionAware,
      ...(item.grid ? { grid: item.grid } : {}),
      metric: item.metric,
      answers: item.answers,
      generated: answer.text,
      prediction,
      score: scoreAnswer(item.metric, item.answers, prediction),
      documentTokens: answer.stats.documentTokens,
      budgetCells: cells,
      cacheCells: answer.stats.cacheCells,
      methodUsed: report?.method ?? "full",
      ...(report?.fallbackReason ? { fallbackReason: report.fallbackReason } : {}),
      ...(survival ? { answerSurvival: survival.map((share) => Number(share.toFixed(4))) } : {}),
      openMs,
      prefillMs: answer.stats.prefillMs,
      ...(memo && memo.hits > hitsBefore ? { sharedPrefill: true } : {}),
      decodeMs: answer.stats.decodeMs,
      scoringMs: report?.scoringMs ?? 0,
      removalMs: report?.removalMs ?? 0,
    };
  } finally {
    await session.dispose();
  }
}

/**
 * Runs every item under every condition (item by item, so a partial run covers all conditions alike),
 * skipping trials the log already holds and appending each new one as it ends. Returns all results.
 */
export async function runEvaluation(
  loaded: LoadedModel,
  items: readonly EvalItem[],
  conditions: readonly Condition[],
  log: ResultsLog,
  options: EvaluationOptions = {},
): Promise<TrialResult[]> {
  const total = items.length * conditions.length;
  const started = performance.now();
  let doneNow = 0;
  const progress = (label?: string) =>
    options.onProgress?.({ done: log.size, total, doneNow, elapsedMs: performance.now() - started, label });
  progress();
  for (const item of items) {
    const pending = conditions.filter((condition) => !log.has(trialKey(item.id, conditionKey(condition))));
    if (pending.length === 0) continue;
    const memo = options.sharePrefill === false ? undefined : await PrefillMemo.create();
    try {
      for (const condition of pending) {
        progress(`${item.id} ${conditionKey(condition)}`);
        const result = await runTrial(loaded, item, condition, options, memo);
        await log.append(result);
        doneNow++;
        options.onTrial?.(result);
      }
    } finally {
      await memo?.dispose();
    }
  }
  progress();
  return log.results();
}
