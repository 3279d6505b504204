import type { Llama, LlamaContext, LlamaContextSequence } from "node-llama-cpp";

/**
 * The probe functions our patched addon adds to node-llama-cpp's bindings (src-main/native/addon).
 * This file is the only one that reaches into node-llama-cpp's internals (`_bindings`, `_ctx`).
 */

/** Version of the native functions' shapes; must equal `probeAbiVersion` in probe-state.h. */
export const PROBE_ABI_VERSION = 2;

/** node-llama-cpp's native context object (LlamaContext._ctx), opaque here. */
export type NativeContext = object & { readonly __nativeContext: unique symbol };

export interface NativeLayerHeads {
  layer: number;
  heads: number[];
}

export interface NativeCaptureRequest {
  mode: "off" | "windowSum" | "rows";
  layers?: NativeLayerHeads[];
  /** Query rows with a position in [firstPosition, endPosition) are captured. */
  firstPosition?: number;
  endPosition?: number;
  values?: boolean;
}

export interface NativeCapturedRow {
  position: number;
  cells: number;
  /** [head][cell] over `cells` cells. */
  probabilities: Float32Array;
}

export interface NativeCapturedValues {
  cells: number;
  kvHeads: number;
  headDim: number;
  /** [cell][kvHead][dim]. */
  data: Float32Array;
}

export interface NativeLayerCapture {
  layer: number;
  /** windowSum mode: per requested head, the window's probabilities summed, indexed by cell. */
  sums: Float32Array[];
  /** rows mode: each captured row. */
  rows: NativeCapturedRow[];
  values?: NativeCapturedValues;
}

export interface NativeCapture {
  error?: string;
  rowPositions: Int32Array;
  layers: NativeLayerCapture[];
}

export interface NativeProbeInfo {
  abiVersion: number;
  flashAttention?: boolean;
  callbackInstalled?: boolean;
  /** plain: one KV cache; sliding-window: llama.cpp's iSWA pair; other: hybrid or recurrent memory. */
  memory?: "plain" | "sliding-window" | "other";
  layers?: number;
  /** Layers reading the window cache (empty for a plain cache). */
  windowLayers?: Int32Array;
  /** n_swa, for a sliding-window model. */
  windowSize?: number;
}

export interface NativeProbeBindings {
  compresskvProbeInfo(context?: NativeContext): NativeProbeInfo;
  compresskvProbeSetCapture(context: NativeContext, request: NativeCaptureRequest): void;
  compresskvProbeTakeCapture(context: NativeContext): NativeCapture;
  compresskvProbeSetLayerMask(context: NativeContext, layer: number, cells: Uint32Array): void;
  compresskvProbeClearMasks(context: NativeContext): void;
  /** Position per cell of the global (default) or the window cache. */
  compresskvProbeCellPositions(context: NativeContext, sequenceId: number, cache?: "global" | "window"): Int32Array;
  /** Frees [start, end) in the global layers' cache only; nothing shifts. */
  compresskvProbeRemoveGlobalPositions(context: NativeContext, sequenceId: number, start: number, end: number): boolean;
  /** Frees the [start, end) pairs in every cache and shifts later positions down, the same in both caches. */
  compresskvProbeRemoveCompacting(context: NativeContext, sequenceId: number, ranges: Int32Array): boolean;
}

/** The stock addon's cell removal without position shift (node-llama-cpp has no public API for it). */
interface NativeContextMethods {
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
}

/** The probe functions of this runtime's binary, or undefined when the binary has none. */
export function nativeProbeBindings(llama: Llama): Partial<NativeProbeBindings> {
  return ((llama as unknown as { _bindings?: Partial<NativeProbeBindings> })._bindings ??
    {}) as Partial<NativeProbeBindings>;
}

export function nativeContextOf(context: LlamaContext): NativeContext {
  const native = (context as unknown as { _ctx?: NativeContext })._ctx;
  if (native == null) throw new Error("this LlamaContext has no native context (disposed?)");
  return native;
}

export function removeCellsWithoutShift(
  context: LlamaContext,
  sequenceId: number,
  start: number,
  end: number,
): boolean {
  return (nativeContextOf(context) as unknown as NativeContextMethods).removeTokenCellsFromSequence(
    sequenceId,
    start,
    end,
  );
}

/** llama.cpp's sequence id behind a LlamaContextSequence (node-llama-cpp keeps it internal). */
export function sequenceIdOf(sequence: LlamaContextSequence): number {
  const id = (sequence as unknown as { _sequenceId?: number })._sequenceId;
  if (typeof id !== "number") throw new Error("this LlamaContextSequence has no sequence id (disposed?)");
  return id;
}

/** node-llama-cpp's own record of a sequence's tokens (kept in step with the cache by its erase). */
interface SequenceInternals {
  _contextTokens: unknown[];
  _nextTokenIndex: number;
  _checkpoints?: { clearAllCheckpoints(): void };
}

/**
 * Drops these token ranges (ascending, non-overlapping) from node-llama-cpp's token list after the cache
 * removed and shifted them natively, as its `eraseContextTokenRanges` does after its own removal. That
 * one is not used on a sliding-window cache: it re-evaluates everything when a range starts before the
 * window's first position. Checkpoints (sliding-window state copies) no longer match and are dropped.
 */
export function forgetErasedTokens(
  sequence: LlamaContextSequence,
  ranges: readonly { readonly start: number; readonly end: number }[],
): void {
  const internals = sequence as unknown as SequenceInternals;
  if (!Array.isArray(internals._contextTokens) || typeof internals._nextTokenIndex !== "number") {
    throw new Error(
      "this node-llama-cpp version keeps its sequence tokens differently; compacting removal needs updating",
    );
  }
  let removed = 0;
  for (const { start, end } of ranges) {
    internals._contextTokens.splice(start - removed, end - start);
    removed += end - start;
  }
  internals._nextTokenIndex -= removed;
  internals._checkpoints?.clearAllCheckpoints();
}
