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
    const scores = new Float64Array(prefix);
    if (heads.length === 0 || prefix === 0) return scores;

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
    const mass = new Float64Array(capture.n);
    for (const head of capture.heads) {
        const offset = rowOffset(capture, head);
        for (let j = 0; j < capture.n; j++) mass[j] += capture.rowSums[offset + j];
    }
    if (capture.heads.length > 0)
        for (let j = 0; j < capture.n; j++) mass[j] /= capture.heads.length;
    return mass;
}

function rowOffset(capture: WindowCapture, head: number): number {
    const row = capture.heads.indexOf(head);
    if (row < 0) throw new Error(`layer ${capture.layer}: head ${head} was not captured`);
    if (capture.rowSums.length < capture.heads.length * capture.n)
        throw new RangeError(`layer ${capture.layer}: rowSums holds ${capture.rowSums.length} values, expected ${capture.heads.length * capture.n}`);
    return row * capture.n;
}
