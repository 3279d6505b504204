/**
 * Positions every method keeps: the first `sinks` (attention sinks) and the last `window` (the observation
 * window, where the question sits). Returns the half-open range of the positions between them,
 * which are the only ones a method chooses among.
 */
export function candidateRange(
  n: number,
  window: number,
  sinks: number,
): { readonly start: number; readonly end: number } {
  const end = Math.max(0, n - window);
  const start = Math.min(sinks, end);
  return { start, end };
}

/** `chosen` candidate positions (any order, no duplicates) plus the sinks and the window, ascending. */
export function withProtectedPositions(chosen: Int32Array, n: number, window: number, sinks: number): Int32Array {
  const { start, end } = candidateRange(n, window, sinks);
  const all = new Int32Array(start + chosen.length + (n - end));
  for (let j = 0; j < start; j++) all[j] = j;
  all.set(chosen, start);
  for (let j = end, i = start + chosen.length; j < n; j++, i++) all[i] = j;
  return all.sort();
}
