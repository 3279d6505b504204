import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import {
  createMethod,
  DEFAULT_POOLING,
  DEFAULT_SINKS,
  layerEvictionError,
  selectTokens,
  type HeadScoreAccumulator,
  type ModelShape,
  type WindowCapture,
} from "../compresskv";
import { AppError } from "../errors/app-error";
import type { AttentionProbe, RowsCapture } from "../engine/probe";
import { firstStopIndex } from "../engine/stop-text";
import type { ProbePrompt } from "./probe-prompt";
import { answerIsRight } from "./rouge";

/** A context sequence with the probe attached, and the model's attention shape in the core's terms. */
export interface ProbeTarget {
  readonly model: LlamaModel;
  readonly sequence: LlamaContextSequence;
  readonly probe: AttentionProbe;
  readonly shape: ModelShape;
}

export interface NeedleProbeOptions {
  readonly maxTokens: number;
  readonly errorBudget: number;
  readonly window: number;
  /** Texts that end the answer besides end-of-generation tokens (a newline always does). */
  readonly stopTexts: readonly string[];
  readonly signal?: AbortSignal;
}

export interface NeedleProbeResult {
  /** The answer as generated, up to the first stop text. */
  readonly generated: string;
  readonly decodeSteps: number;
  readonly correct: boolean;
  /** Per decode step, each layer's eviction error. */
  readonly layerErrors: Float64Array[];
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("cancelled", "Calibration cancelled.");
}

/**
 * One needle probe (DESIGN 1.1 and 1.2 in one pass). The prompt is prefilled while the last `window` rows of
 * every head are captured; SnapKV picks the compressed cache from them at a uniform `errorBudget`. Then the
 * model decodes greedily from the prompt's last token, and each step's rows of all heads (with V) feed both
 * the head scores and, per layer, the error of attending only to the compressed cache (decoded tokens are
 * always kept; generation itself continues on the full cache).
 */
export async function runNeedleProbe(
  target: ProbeTarget,
  prompt: ProbePrompt,
  heads: HeadScoreAccumulator,
  options: NeedleProbeOptions,
): Promise<NeedleProbeResult> {
  const { model, sequence, probe, shape } = target;
  const n = prompt.tokens.length;
  const layers = Array.from({ length: shape.nLayers }, (_, layer) => ({
    layer,
    heads: Array.from({ length: shape.nHead }, (_, head) => head),
  }));

  await sequence.clearHistory();
  const windowCaptures = await probe.evaluateWindow(sequence, prompt.tokens, { layers, window: options.window });
  const keptMasks = compressedCacheMasks(shape, windowCaptures, n, n + options.maxTokens, options);
  // The first answer token comes from the prompt's last row: evaluate that token again, this time capturing rows.
  await sequence.eraseContextTokenRanges([{ start: n - 1, end: n }]);

  const stopTexts = ["\n", ...options.stopTexts.filter((text) => text !== "")];
  const generatedTokens: Token[] = [];
  const layerErrors: Float64Array[] = [];
  let generated = "";
  let input = prompt.tokens[n - 1];
  heads.beginProbe(prompt.span);
  for (let step = 0; step < options.maxTokens; step++) {
    throwIfCancelled(options.signal);
    probe.capture({ kind: "rows", layers, fromPosition: n - 1 + step, values: true });
    const [output] = await sequence.controlledEvaluate([
      [input, { generateNext: { token: true, options: { temperature: 0 } } }],
    ]);
    const captured = probe.takeRows(sequence);
    const emitted = output?.next.token;
    if (emitted === undefined || emitted === null) throw new Error("the model produced no token");
    layerErrors.push(measureStep(shape, captured, keptMasks, heads, emitted));

    if (model.isEogToken(emitted)) break;
    generatedTokens.push(emitted);
    const text = model.detokenize(generatedTokens);
    const stopAt = firstStopIndex(text, stopTexts);
    generated = stopAt < 0 ? text : text.slice(0, stopAt);
    if (stopAt >= 0) break;
    input = emitted;
  }
  const correct = answerIsRight(prompt.spec.needle.answer, generated);
  heads.endProbe(correct);
  return { generated, decodeSteps: layerErrors.length, correct, layerErrors };
}

/**
 * Per layer, 1 at each position the compressed cache keeps: SnapKV's choice among the n prompt positions,
 * and every position from n on (the answer being decoded). Length `capacity`.
 */
function compressedCacheMasks(
  shape: ModelShape,
  captures: readonly WindowCapture[],
  n: number,
  capacity: number,
  options: Pick<NeedleProbeOptions, "errorBudget" | "window">,
): Uint8Array[] {
  const snapKv = createMethod("snapkv", { shape });
  const request = {
    n,
    budget: options.errorBudget,
    window: options.window,
    sinks: DEFAULT_SINKS,
    pooling: DEFAULT_POOLING,
  };
  return selectTokens(snapKv, request, captures).map(({ kept }) => {
    const mask = new Uint8Array(capacity);
    for (const position of kept) mask[position] = 1;
    mask.fill(1, n);
    return mask;
  });
}

/** Adds one decode step to the head scores and returns each layer's eviction error at that step. */
function measureStep(
  shape: ModelShape,
  captured: RowsCapture,
  keptMasks: readonly Uint8Array[],
  heads: HeadScoreAccumulator,
  emitted: Token,
): Float64Array {
  const [row] = captured.rows;
  if (captured.rows.length !== 1)
    throw new Error(`expected one captured row per decode step, got ${captured.rows.length}`);
  const errors = new Float64Array(shape.nLayers);
  for (const { layer, probabilities } of row.layers) {
    heads.addLayerStep(layer, emitted, probabilities, captured.n);
    const values = captured.values.get(layer);
    if (values === undefined) throw new Error(`no V rows were captured for layer ${layer}`);
    errors[layer] = layerEvictionError({
      shape,
      probabilities,
      nCells: captured.n,
      values,
      kept: keptMasks[layer].subarray(0, captured.n),
    });
  }
  return errors;
}
