/** Sorted positions as flattened [start, end) pairs: compact for long runs of kept tokens. */
export function toRanges(positions: ArrayLike<number>): number[] {
  const ranges: number[] = [];
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i];
    if (ranges.length && ranges[ranges.length - 1] === position) ranges[ranges.length - 1] = position + 1;
    else ranges.push(position, position + 1);
  }
  return ranges;
}

/** Number of positions in flattened [start, end) pairs. */
export function rangesLength(ranges: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < ranges.length; i += 2) total += ranges[i + 1] - ranges[i];
  return total;
}
