import type { LlamaContextSequence } from "node-llama-cpp";
import type { PositionRange } from "../../compresskv";
import { readCacheLayout } from "./cache-layout";
import {
  forgetErasedTokens,
  nativeContextOf,
  nativeProbeBindings,
  type NativeProbeBindings,
  removeCellsWithoutShift,
  sequenceIdOf,
} from "./native-probe";

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
 * equalling its token indices (and a later compacting removal stays consistent). On a sliding-window
 * model only the global layers' cache loses them: the window layers keep their window.
 */
export function removeKeepingPositions(sequence: LlamaContextSequence, ranges: readonly PositionRange[]): void {
  const slidingWindow = readCacheLayout(sequence.context)?.slidingWindow ?? false;
  const id = sequenceIdOf(sequence);
  for (const range of checkedRanges(ranges)) {
    const removed = slidingWindow
      ? (nativeProbeBindings(sequence.context.model.llama) as NativeProbeBindings).compresskvProbeRemoveGlobalPositions(
          nativeContextOf(sequence.context),
          id,
          range.start,
          range.end,
        )
      : removeCellsWithoutShift(sequence.context, id, range.start, range.end);
    if (!removed) throw new Error(`llama.cpp refused to remove positions ${range.start}..${range.end - 1}`);
  }
}

/**
 * Frees these positions and shifts later tokens down to close the gaps (K is re-rotated on the next
 * decode). On a sliding-window model both caches lose them and shift alike, so positions stay one
 * sequence: a removed position inside the window leaves the window layers too.
 */
export async function removeCompacting(
  sequence: LlamaContextSequence,
  ranges: readonly PositionRange[],
): Promise<void> {
  const checked = checkedRanges(ranges);
  if (!readCacheLayout(sequence.context)?.slidingWindow) {
    await sequence.eraseContextTokenRanges(checked);
    return;
  }
  // node-llama-cpp would re-evaluate the whole sequence here (a range before the window's first position).
  const pairs = Int32Array.from(checked.flatMap((range) => [range.start, range.end]));
  const bindings = nativeProbeBindings(sequence.context.model.llama) as NativeProbeBindings;
  if (!bindings.compresskvProbeRemoveCompacting(nativeContextOf(sequence.context), sequenceIdOf(sequence), pairs)) {
    throw new Error("llama.cpp refused a compacting removal on the sliding-window cache");
  }
  forgetErasedTokens(sequence, checked);
}
