import { candidateRange, withProtectedPositions } from "./protected-positions";
import { topKIndices } from "./top-k";
import type { LayerSelection } from "./types";

/**
 * One layer's kept set: the sinks and the window, plus the best-scored candidates up to `budget` tokens in
 * all (ties: lower position first). `scores[j]` scores position j for j < n - window (longer arrays are fine).
 * A budget smaller than the protected set still keeps the protected set; n <= budget keeps everything.
 */
export function selectLayerTokens(
  scores: ArrayLike<number>,
  n: number,
  budget: number,
  window: number,
  sinks: number,
): LayerSelection {
  const { start, end } = candidateRange(n, window, sinks);
  const protectedTotal = n - (end - start);
  const ranked = topKIndices(scores, budget - protectedTotal, start, end);
  const kept = withProtectedPositions(ranked, n, window, sinks);
  return { budget: Math.max(Math.min(budget, n), protectedTotal), ranked, kept };
}
