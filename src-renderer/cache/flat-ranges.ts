/**
 * Token position sets as the engine reports them: flattened, sorted, disjoint [start, end) pairs.
 */

/** Number of positions the ranges hold. */
export function rangesSize(ranges: readonly number[]): number {
  let size = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) size += ranges[i + 1] - ranges[i];
  return size;
}

/** Whether `position` lies in one of the ranges (binary search over the starts). */
export function rangesContain(ranges: readonly number[], position: number): boolean {
  let low = 0;
  let high = ranges.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (position < ranges[2 * middle]) high = middle - 1;
    else if (position >= ranges[2 * middle + 1]) low = middle + 1;
    else return true;
  }
  return false;
}

/**
 * The share of each of `bins` equal slices of [0, domain) that the ranges cover, in 0..1. Work is
 * proportional to ranges plus bins, not positions, so 100k-position layers draw at once.
 */
export function rangeCoverage(ranges: readonly number[], domain: number, bins: number): Float32Array {
  const coverage = new Float32Array(bins);
  if (domain <= 0 || bins <= 0) return coverage;
  const binWidth = domain / bins;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.max(0, ranges[i]);
    const end = Math.min(domain, ranges[i + 1]);
    if (end <= start) continue;
    const first = Math.floor(start / binWidth);
    const last = Math.min(bins - 1, Math.floor((end - 1e-9) / binWidth));
    for (let bin = first; bin <= last; bin++) {
      const overlap = Math.min(end, (bin + 1) * binWidth) - Math.max(start, bin * binWidth);
      coverage[bin] += overlap / binWidth;
    }
  }
  for (let bin = 0; bin < bins; bin++) coverage[bin] = Math.min(1, coverage[bin]);
  return coverage;
}

/** How many of the given range sets hold each position of [0, domain). */
export function positionCounts(rangeSets: readonly (readonly number[])[], domain: number): Uint16Array {
  // A difference array: +1 at each start, -1 at each end, then a running sum.
  const delta = new Int32Array(domain + 1);
  for (const ranges of rangeSets) {
    for (let i = 0; i + 1 < ranges.length; i += 2) {
      const start = Math.max(0, Math.min(domain, ranges[i]));
      const end = Math.max(0, Math.min(domain, ranges[i + 1]));
      if (end <= start) continue;
      delta[start]++;
      delta[end]--;
    }
  }
  const counts = new Uint16Array(domain);
  let running = 0;
  for (let position = 0; position < domain; position++) {
    running += delta[position];
    counts[position] = running;
  }
  return counts;
}
