import type { LlamaContextSequence } from "node-llama-cpp";
import type { LayerCache } from "./cache-layout";
import { nativeContextOf, nativeProbeBindings, sequenceIdOf, type NativeProbeBindings } from "./native-probe";

/**
 * Which token position each KV cell holds for one sequence, read from one of llama.cpp's caches (a
 * sliding-window model has a global and a window cache; a layer's attention columns are the cells of
 * the cache it reads). Positions equal cells only after a fresh prefill with no removals.
 */
export class KvCellMap {
  private cellByPosition: Int32Array | undefined;

  /** `positionOfCell[cell]` is the position, or -1 for a cell empty or owned by other sequences. */
  constructor(readonly positionOfCell: Int32Array) {}

  /** The map of `cache` right now (call it after removals or refills, not during an evaluation). */
  static read(sequence: LlamaContextSequence, cache: LayerCache = "global"): KvCellMap {
    const { context } = sequence;
    const bindings = nativeProbeBindings(context.model.llama) as NativeProbeBindings;
    return new KvCellMap(
      bindings.compresskvProbeCellPositions(nativeContextOf(context), sequenceIdOf(sequence), cache),
    );
  }

  /** One past the largest position held, i.e. the length of position-indexed arrays. */
  get positionCount(): number {
    let largest = -1;
    for (const position of this.positionOfCell) if (position > largest) largest = position;
    return largest + 1;
  }

  /** The positions held, ascending. */
  positions(): Int32Array {
    return this.positionOfCell.filter((position) => position >= 0).sort();
  }

  /** The cell holding `position`, or -1. */
  cellOf(position: number): number {
    if (!this.cellByPosition) {
      this.cellByPosition = new Int32Array(this.positionCount).fill(-1);
      this.positionOfCell.forEach((p, cell) => {
        if (p >= 0) this.cellByPosition![p] = cell;
      });
    }
    return position >= 0 && position < this.cellByPosition.length ? this.cellByPosition[position] : -1;
  }

  /** The cells of these positions; throws for a position the cache does not hold. */
  cellsOf(positions: Iterable<number>): Uint32Array {
    const cells: number[] = [];
    for (const position of positions) {
      const cell = this.cellOf(position);
      if (cell < 0) throw new RangeError(`position ${position} is not in the KV cache`);
      cells.push(cell);
    }
    return Uint32Array.from(cells);
  }

  /**
   * Scatters rows of cell-indexed values into position-indexed rows of length `n`:
   * `out[r * n + position] = byCell[r * cells + cell]`. Cells of other sequences are dropped.
   */
  toPositions(
    byCell: Float32Array,
    cells: number,
    rows: number,
    n: number,
    out = new Float32Array(rows * n),
  ): Float32Array {
    const limit = Math.min(cells, this.positionOfCell.length);
    for (let cell = 0; cell < limit; cell++) {
      const position = this.positionOfCell[cell];
      if (position < 0 || position >= n) continue;
      for (let r = 0; r < rows; r++) out[r * n + position] = byCell[r * cells + cell];
    }
    return out;
  }
}
