import { roundHalfToEven } from "./rounding";

/** Every layer gets the same budget B. */
export function uniformBudgets(nLayers: number, budget: number): Int32Array {
  return new Int32Array(nLayers).fill(budget);
}

export interface AdaptiveBudgetOptions {
  /** Smallest per-layer budget; lowered to B when B is smaller, so the total stays reachable. */
  readonly floor?: number;
  /** Largest per-layer budget as a multiple of B. */
  readonly capMultiple?: number;
}

/**
 * Layer-adaptive budgets (DESIGN 1.3): B_l = clip(floor + round(e_l * (B*L - floor*L)), floor, 3B), rounded
 * half to even, then repaired one token at a time until they sum to exactly B*L. `weights` (e_l) are
 * normalised to sum 1 here; all-zero weights mean uniform budgets.
 */
export function adaptiveBudgets(
  weights: ArrayLike<number>,
  budget: number,
  options: AdaptiveBudgetOptions = {},
): Int32Array {
  const nLayers = weights.length;
  const floor = Math.min(options.floor ?? 32, budget);
  const cap = budget * (options.capMultiple ?? 3);
  const total = weights.length === 0 ? 0 : sum(weights);
  if (!(total > 0)) return uniformBudgets(nLayers, budget);

  const spread = budget * nLayers - floor * nLayers;
  const budgets = new Int32Array(nLayers);
  for (let l = 0; l < nLayers; l++) {
    const raw = floor + roundHalfToEven((weights[l] / total) * spread);
    budgets[l] = Math.min(cap, Math.max(floor, raw));
  }
  repairTotal(budgets, budget * nLayers, weights, floor, cap);
  return budgets;
}

/**
 * Brings `budgets` to sum exactly `target`, one token at a time: while short, +1 to each layer below `cap` in
 * descending priority; while over, -1 from each layer above `floor` in ascending priority. Equal priorities:
 * the lower layer is served first in both passes. Modifies and returns `budgets`.
 */
export function repairTotal(
  budgets: Int32Array,
  target: number,
  priority: ArrayLike<number>,
  floor: number,
  cap: number,
): Int32Array {
  if (floor * budgets.length > target || cap * budgets.length < target)
    throw new RangeError(`a total of ${target} cannot be met within [${floor}, ${cap}] per layer`);
  const layers = Array.from(budgets, (_, l) => l);
  const descending = [...layers].sort((a, b) => priority[b] - priority[a] || a - b);
  const ascending = [...layers].sort((a, b) => priority[a] - priority[b] || a - b);

  let difference = target - sum(budgets);
  while (difference > 0)
    for (const l of descending) {
      if (difference === 0) break;
      if (budgets[l] < cap) {
        budgets[l]++;
        difference--;
      }
    }
  while (difference < 0)
    for (const l of ascending) {
      if (difference === 0) break;
      if (budgets[l] > floor) {
        budgets[l]--;
        difference++;
      }
    }
  return budgets;
}

/**
 * PyramidKV budgets: the part above the window falls linearly with depth from (2c - c/beta) to c/beta,
 * c = B - window, so the total stays B*L (exact after rounding repair, shallower layers first). As in the
 * reference, the top is lowered to n - window when the prompt is shorter, raising the bottom to compensate.
 */
export function pyramidBudgets(nLayers: number, budget: number, window: number, n: number, beta = 20): Int32Array {
  if (nLayers === 1) return uniformBudgets(1, budget);
  const capacity = budget - window;
  let low = Math.floor(capacity / beta);
  let high = 2 * capacity - low;
  if (high >= n - window) {
    high = Math.max(capacity, n - window);
    low = 2 * capacity - high;
  }
  const budgets = new Int32Array(nLayers);
  const depthPriority = new Float64Array(nLayers);
  for (let l = 0; l < nLayers; l++) {
    budgets[l] = window + roundHalfToEven(high - ((high - low) * l) / (nLayers - 1));
    depthPriority[l] = nLayers - l;
  }
  return repairTotal(budgets, budget * nLayers, depthPriority, window + low, window + high);
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
