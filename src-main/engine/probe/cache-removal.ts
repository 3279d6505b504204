import type { LlamaContextSequence } from "node-llama-cpp";
import type { PositionRange } from "../../compresskv";
import { removeCellsWithoutShift, sequenceIdOf } from "./native-probe";

/**
 * Sorted, non-overlapping, non-empty ranges that leave position 0 alone. Erasing from position 0 makes
 * node-llama-cpp drop the whole cache and re-evaluate, so it is refused here.
 */
function checkedRanges(ranges: readonly PositionRange[]): PositionRange[] {
  const sorted = [...ranges].filter((range) => range.end > range.start).sort((a, b) => a.start - b.start);
  sorted.forEach((range, i) => {
    if (range.start < 1) throw new RangeError("position 0 is never erased");
    if (i > 0 && range.start < sorted[i - 1].end) throw new RangeError("ranges overlap");
  });
  return sorted;
}

/**
 * Frees the KV cells of these positions; later tokens keep their positions and the next token goes
 * after the last one, leaving a gap. node-llama-cpp's token list is left as is, so positions keep
 * equalling its token indices (and a later compacting removal stays consistent).
 */
export function removeKeepingPositions(sequence: LlamaContextSequence, ranges: readonly PositionRange[]): void {
  for (const range of checkedRanges(ranges)) {
    if (!removeCellsWithoutShift(sequence.context, sequenceIdOf(sequence), range.start, range.end)) {
      throw new Error(`llama.cpp refused to remove positions ${range.start}..${range.end - 1}`);
    }
  }
}

/** Frees these positions and shifts later tokens down to close the gaps (K is re-rotated on the next decode). */
export async function removeCompacting(
  sequence: LlamaContextSequence,
  ranges: readonly PositionRange[],
): Promise<void> {
  await sequence.eraseContextTokenRanges(checkedRanges(ranges));
}
