/**
 * Whether the answer survived compression, layer by layer: the share of the answer's tokens (the
 * tokens overlapping the item's answer spans) that each layer still sees after the last compression.
 * Pure: token offsets and the layers' visible ranges come from the engine's report.
 */

/**
 * Prompt positions of the tokens that overlap any span. `offsets[i]` is the document character token
 * i starts at (-1 outside the document); a token ends where the next document token starts.
 */
export function answerTokenPositions(offsets: readonly number[], spans: readonly { start: number; end: number }[]) {
  const positions: number[] = [];
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i] < 0) continue;
    let next = i + 1;
    while (next < offsets.length && offsets[next] < 0) next++;
    const end = next < offsets.length ? offsets[next] : Number.POSITIVE_INFINITY;
    if (spans.some((span) => offsets[i] < span.end && end > span.start)) positions.push(i);
  }
  return positions;
}

/** Whether `position` is inside flattened [start, end) pairs. */
function inRanges(ranges: readonly number[], position: number): boolean {
  for (let i = 0; i + 1 < ranges.length; i += 2) if (position >= ranges[i] && position < ranges[i + 1]) return true;
  return false;
}

/** Per layer, the share of `positions` inside that layer's visible ranges (1 when there are none). */
export function layerSurvival(layerRanges: readonly (readonly number[])[], positions: readonly number[]): number[] {
  return layerRanges.map((ranges) =>
    positions.length === 0 ? 1 : positions.filter((p) => inRanges(ranges, p)).length / positions.length,
  );
}

/** Mean survival per layer over trials (trials without it are skipped); empty when none has it. */
export function meanSurvival(perTrial: readonly (readonly number[] | undefined)[]): number[] {
  const present = perTrial.filter((s): s is readonly number[] => s !== undefined && s.length > 0);
  if (present.length === 0) return [];
  return present[0].map((_, layer) => present.reduce((sum, s) => sum + s[layer], 0) / present.length);
}
