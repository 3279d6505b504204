/**
 * Where the first of `stops` ends the answer in `text`, or -1. Stop texts inside the answer's leading
 * whitespace do not count: a base model often starts its continuation with a line break before it answers.
 */
export function firstStopIndex(text: string, stops: readonly string[]): number {
  const start = text.length - text.trimStart().length;
  let first = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop, start);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}
