import { uniformBudgets } from "../budgets";
import type { KvPressMethod } from "../method";

/**
 * `method` with every layer given the budget B: its scoring as it is, its own layer budgets replaced.
 * Measures what CompressKV's error-based budgets add over its head choice alone.
 */
export function withUniformLayerBudgets(method: KvPressMethod, nLayers: number): KvPressMethod {
  return {
    ...method,
    label: `${method.label}, uniform layer budgets`,
    layerBudgets: (request) => uniformBudgets(nLayers, request.budget),
  };
}
