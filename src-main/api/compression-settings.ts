/** The contract's compression settings are the engine's own (types and constants only: browser-safe). */
export {
  ANSWER_RESERVE_CELLS,
  DEFAULT_COMPRESSION,
  METHOD_NAMES,
  MAX_RESERVOIR_MULTIPLE,
  READING_MODES,
  readingModeOf,
  withReadingMode,
  type CompressionSettings,
  type ReadingMode,
} from "../engine/compression/compression-settings";

/** The reservoir's sizes and memory, for the budget slider (pure functions of the core). */
export { reservoirCells, reservoirCellsForMemory, reservoirMemory } from "../compresskv/reservoir";
