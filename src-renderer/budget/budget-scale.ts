/**
 * The memory budget slider moves on a logarithmic scale, so 64 tokens and 100k tokens are both
 * reachable with a pointer; budgets snap to multiples of 16 cells.
 */

export const MIN_BUDGET = 64;
export const BUDGET_STEP = 16;
/** Slider positions (the input's own value range). */
export const SLIDER_STEPS = 200;

export function snapBudget(tokens: number, max: number): number {
  const snapped = Math.round(tokens / BUDGET_STEP) * BUDGET_STEP;
  return Math.min(Math.max(snapped, MIN_BUDGET), Math.max(max, MIN_BUDGET));
}

/** Slider position (0..SLIDER_STEPS) for a budget in [MIN_BUDGET, max]. */
export function sliderPosition(budget: number, max: number): number {
  if (max <= MIN_BUDGET) return SLIDER_STEPS;
  const clamped = Math.min(Math.max(budget, MIN_BUDGET), max);
  return Math.round((SLIDER_STEPS * Math.log(clamped / MIN_BUDGET)) / Math.log(max / MIN_BUDGET));
}

/** The budget at a slider position, snapped. */
export function budgetAt(position: number, max: number): number {
  if (max <= MIN_BUDGET) return MIN_BUDGET;
  const exact = MIN_BUDGET * (max / MIN_BUDGET) ** (position / SLIDER_STEPS);
  return position >= SLIDER_STEPS ? max : snapBudget(exact, max);
}

/**
 * Where the slider ends: the whole document when it is known (beyond it nothing is evicted),
 * never below the current budget, at least the model's context.
 */
export function budgetSliderMax(budget: number, documentTokens: number | null, contextSize: number): number {
  const natural = documentTokens !== null ? Math.max(documentTokens, MIN_BUDGET) : Math.max(contextSize, MIN_BUDGET);
  return Math.max(natural, budget);
}
