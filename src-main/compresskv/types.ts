/** Shapes shared by the CompressKV core. Positions are prompt token indices 0..n-1, never KV cells. */

/** Attention geometry of a model. Query head h reads KV head floor(h / (nHead / nHeadKv)). */
export interface ModelShape {
  readonly nLayers: number;
  readonly nHead: number;
  readonly nHeadKv: number;
}

/**
 * One layer's captured observation-window attention: for each listed query head, a row of length n holding
 * the sum over the window's query rows of that head's attention probabilities.
 */
export interface WindowCapture {
  readonly layer: number;
  /** Query head ids, in the order of the rows of `rowSums`. */
  readonly heads: readonly number[];
  readonly n: number;
  /** heads.length x n, head-major. */
  readonly rowSums: Float32Array;
}

export type PoolingKind = "avg" | "max";

export interface Pooling {
  readonly kind: PoolingKind;
  /** Odd kernel size; stride 1, same padding. */
  readonly kernel: number;
}

/** One compression request for a prompt of n tokens. */
export interface CompressionRequest {
  readonly n: number;
  /** Average tokens kept per layer (B); the total is budget * nLayers. */
  readonly budget: number;
  /** Observation window: the last `window` positions, always kept. */
  readonly window: number;
  /** Attention sinks: the first `sinks` positions, always kept. */
  readonly sinks: number;
  readonly pooling: Pooling;
}

/** What one layer keeps. */
export interface LayerSelection {
  /** Tokens this layer was allowed to keep (B_l, after the n and protected-set clamps). */
  readonly budget: number;
  /** Kept non-protected positions in priority order (best first); the physical plan trims from the end. */
  readonly ranked: Int32Array;
  /** All kept positions (sinks, window and ranked), ascending. */
  readonly kept: Int32Array;
}

/** Offline, per-model results of calibration that the head-guided methods need. */
export interface HeadProfile {
  /** Per layer, query heads ranked by semantic retrieval score (best first). */
  readonly semanticHeads: readonly (readonly number[])[];
  /** Per layer, query heads ranked by the older top-1 retrieval score (best first). */
  readonly retrievalHeads: readonly (readonly number[])[];
  /** Layer eviction error weights e_l, summing to 1. */
  readonly layerWeights: ArrayLike<number>;
}

export const DEFAULT_WINDOW = 8;
export const DEFAULT_SINKS = 4;
export const DEFAULT_POOLING: Pooling = { kind: "avg", kernel: 5 };
export const DEFAULT_HEADS_PER_LAYER = 4;
