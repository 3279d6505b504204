export * from "./types";
export { roundHalfToEven } from "./rounding";
export { createPrng } from "./prng";
export { kvHeadOf } from "./gqa";
export { topKIndices } from "./top-k";
export { pool1d } from "./pooling";
export { windowScores, windowAttentionMass } from "./window-scores";
export { candidateRange, withProtectedPositions } from "./protected-positions";
export { selectLayerTokens } from "./token-selection";
export { uniformBudgets, adaptiveBudgets, pyramidBudgets, repairTotal, type AdaptiveBudgetOptions } from "./budgets";
export {
  semanticStepScore,
  retrievalStepScore,
  HeadScoreAccumulator,
  topHeadsPerLayer,
  type AnswerSpan,
} from "./head-scores";
export {
  layerEvictionError,
  keptMask,
  aggregateLayerErrors,
  type LayerErrorInput,
  type ValueRows,
} from "./layer-error";
export {
  selectTokens,
  defineMethod,
  requireCapture,
  type KvPressMethod,
  type MethodContext,
  type MethodDefinition,
  type MethodInfo,
  type MethodName,
} from "./method";
export { methodRegistry, createMethod, withUniformLayerBudgets } from "./methods";
export {
  buildPhysicalPlan,
  visiblePositions,
  complementRanges,
  type PhysicalPlan,
  type PhysicalPlanInput,
  type PlanView,
  type PositionRange,
} from "./physical-plan";
export { withUnmaskedLayers } from "./unmasked-layers";
export {
  DEFAULT_RESERVOIR_MULTIPLE,
  HISTORY_SHARE,
  MAX_RESERVOIR_MULTIPLE,
  hiddenPositions,
  historyShareCells,
  reservoirCells,
  reservoirCellsForMemory,
  reservoirMemory,
  type ReservoirMemory,
  type ReservoirSizeInput,
} from "./reservoir";
