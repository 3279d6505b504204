/**
 * Indices `from..to-1` of `scores`, the best `k` of them, best first: higher score first, and on equal
 * scores the lower index first. NaN counts as -Infinity. Deterministic.
 *
 * Cost: O(n) to find the k-th score (quickselect on a copy), then O(k log k) to order the chosen ones.
 */
export function topKIndices(scores: ArrayLike<number>, k: number, from = 0, to = scores.length): Int32Array {
  const count = Math.max(0, to - from);
  const take = Math.max(0, Math.min(k, count));
  const chosen = new Int32Array(take);
  if (take === 0) return chosen;

  const keyOf = (i: number): number => {
    const s = scores[i];
    return Number.isNaN(s) ? -Infinity : s;
  };

  if (take === count) {
    for (let i = 0; i < count; i++) chosen[i] = from + i;
  } else {
    const copy = new Float64Array(count);
    for (let i = 0; i < count; i++) copy[i] = keyOf(from + i);
    const threshold = kthLargest(copy, take);
    let filled = 0;
    for (let i = from; i < to; i++) if (keyOf(i) > threshold) chosen[filled++] = i;
    // Equal scores at the threshold: the lowest indices win.
    for (let i = from; i < to && filled < take; i++) if (keyOf(i) === threshold) chosen[filled++] = i;
  }

  return chosen.sort((a, b) => keyOf(b) - keyOf(a) || a - b);
}

/** The k-th largest value (k >= 1) of `values`; reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  // Quickselect for the (k-1)-th position of a descending order.
  const target = k - 1;
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = medianOfThree(values[left], values[(left + right) >>> 1], values[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return values[target];
  }
  return values[target];
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : Math.max(a, c);
  return a < c ? a : Math.max(b, c);
}
