import { pool1d } from "./pooling";
import type { Pooling, WindowCapture } from "./types";

/**
 * Token scores of one layer from its observation-window capture (DESIGN 1.4): for each chosen head, the
 * window's attention mass on each position before the window (j < n - window), smoothed by `pooling`,
 * then averaged over the chosen heads. Returns n - window scores. `heads` defaults to every captured head.
 */
export function windowScores(
  capture: WindowCapture,
  window: number,
  pooling: Pooling,
  heads: readonly number[] = capture.heads,
): Float64Array {
  const prefix = Math.max(0, capture.n - window);
  if (heads.length === 0 || prefix === 0) return new Float64Array(prefix);

  // Average pooling is linear: pooling the head average equals averaging the pooled heads, at 1/heads the cost.
  if (pooling.kind === "avg") return pool1d(headAverage(capture, heads, prefix), pooling);

  const scores = new Float64Array(prefix);
  const pooled = new Float64Array(prefix);
  for (const head of heads) {
    const offset = rowOffset(capture, head);
    pool1d(capture.rowSums.subarray(offset, offset + prefix), pooling, pooled);
    for (let j = 0; j < prefix; j++) scores[j] += pooled[j];
  }
  for (let j = 0; j < prefix; j++) scores[j] /= heads.length;
  return scores;
}

/**
 * The window's attention mass on every position (window included), averaged over the captured heads,
 * without pooling: what a layer loses when a position is not visible to it.
 */
export function windowAttentionMass(capture: WindowCapture): Float64Array {
  return headAverage(capture, capture.heads, capture.n);
}

/** The first `length` values of the chosen heads' rows, averaged. */
function headAverage(capture: WindowCapture, heads: readonly number[], length: number): Float64Array {
  const average = new Float64Array(length);
  for (const head of heads) {
    const offset = rowOffset(capture, head);
    for (let j = 0; j < length; j++) average[j] += capture.rowSums[offset + j];
  }
  if (heads.length > 0) for (let j = 0; j < length; j++) average[j] /= heads.length;
  return average;
}

function rowOffset(capture: WindowCapture, head: number): number {
  const row = capture.heads.indexOf(head);
  if (row < 0) throw new Error(`layer ${capture.layer}: head ${head} was not captured`);
  if (capture.rowSums.length < capture.heads.length * capture.n)
    throw new RangeError(
      `layer ${capture.layer}: rowSums holds ${capture.rowSums.length} values, expected ${capture.heads.length * capture.n}`,
    );
  return row * capture.n;
}
