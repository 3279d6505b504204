import {
  ANSWER_RESERVE_CELLS,
  type CompressionSettings,
  readingModeOf,
  reservoirCells,
  reservoirCellsForMemory,
  reservoirMemory,
} from "../../src-main/api/compression-settings";

/** What the budget line shows of the reservoir: R beside the answer budget B, and the cells held at the peak. */
export interface ReservoirFigures {
  /** R: cells the document is read into, once. */
  tokens: number;
  bytes: number;
  /** R / B as it came out (the document or memory may cut the multiple asked for). */
  multiple: number;
  /** The most cells held at once: the reservoir plus a chunk while reading, or plus the chat and answer. */
  peakTokens: number;
  peakBytes: number;
  /** R covers the whole document: the answers choose from the full cache. */
  wholeDocument: boolean;
}

/**
 * The reservoir for these settings on a document of `documentTokens` (unknown: before its token map has
 * loaded), within `freeBytes` of memory; null when there is none (another reading mode, or a document that
 * fits the budget and is not compressed at all).
 */
export function reservoirFigures(
  compression: CompressionSettings,
  kvBytesPerToken: number,
  documentTokens: number | null,
  freeBytes: number,
): ReservoirFigures | null {
  const { budget } = compression;
  if (readingModeOf(compression) !== "reservoir" || compression.method === "full") return null;
  if (documentTokens !== null && documentTokens <= budget) return null;
  const tokens = reservoirCells({
    budget,
    multiple: compression.reservoirMultiple,
    documentTokens: documentTokens ?? Number.MAX_SAFE_INTEGER,
    maxCells: reservoirCellsForMemory(freeBytes, kvBytesPerToken),
  });
  const memory = reservoirMemory({
    budget,
    reservoir: tokens,
    chunkTokens: compression.chunkTokens,
    reserve: ANSWER_RESERVE_CELLS,
    kvBytesPerToken,
  });
  return {
    tokens,
    bytes: memory.reservoirBytes,
    multiple: tokens / budget,
    peakTokens: memory.peakCells,
    peakBytes: memory.peakBytes,
    wholeDocument: documentTokens !== null && tokens >= documentTokens,
  };
}
