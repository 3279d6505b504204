import type { PositionRange, WindowCapture } from "../../compresskv";

/**
 * The positions a sequence holds in its KV cache, ascending. After position-keeping removals they
 * have gaps, and the core wants dense indices 0..count-1: this maps captures in and plans out.
 */
export class PresentPositions {
  constructor(readonly positions: Int32Array) {}

  get count(): number {
    return this.positions.length;
  }

  /** The capture restricted to present positions, in dense order. */
  denseCapture(capture: WindowCapture): WindowCapture {
    const n = this.count;
    const rowSums = new Float32Array(capture.heads.length * n);
    capture.heads.forEach((_, k) => {
      const from = k * capture.n;
      for (let j = 0; j < n; j++) {
        const position = this.positions[j];
        rowSums[k * n + j] = position < capture.n ? capture.rowSums[from + position] : 0;
      }
    });
    return { layer: capture.layer, heads: capture.heads, n, rowSums };
  }

  /** Positions of dense indices. */
  positionsOf(dense: ArrayLike<number>): Int32Array {
    return Int32Array.from(dense, (index) => this.positions[index]);
  }

  /**
   * Dense ranges to remove as position ranges. A range of consecutive dense indices may span
   * positions already gone; removing those again is harmless.
   */
  positionRanges(dense: readonly PositionRange[]): PositionRange[] {
    return dense.map(({ start, end }) => ({ start: this.positions[start], end: this.positions[end - 1] + 1 }));
  }
}
