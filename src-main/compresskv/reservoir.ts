import type { PhysicalPlan, PlanView } from "./physical-plan";
import { visiblePositions } from "./physical-plan";

/**
 * Follow-up questions without re-reading: the document is read once, question-agnostically, into a
 * reservoir of R cells; each question is then scored on top of the reservoir and B of its cells are
 * kept for the answer. These are the sizes and the answer's per-layer view; no I/O.
 */

/** R as a multiple of B when nothing else is said. */
export const DEFAULT_RESERVOIR_MULTIPLE = 8;
/** Largest multiple the settings take: any multiple that covers the document keeps the full cache (R = N). */
export const MAX_RESERVOIR_MULTIPLE = 1_000_000;
/** Share of the free memory the reservoir may take (the model, the answer and the rest need the others). */
export const RESERVOIR_MEMORY_SHARE = 0.5;
/** The chat history's share of the budget: beyond it the history is compressed (or old turns dropped). */
export const HISTORY_SHARE = 0.25;

export interface ReservoirSizeInput {
  /** Answer budget B, in cells. */
  readonly budget: number;
  /** R / B asked for (0 or less: no reservoir, R = B). */
  readonly multiple: number;
  /** N, the document's tokens. */
  readonly documentTokens: number;
  /** The most cells memory allows (from the free memory the app measures); no limit when absent. */
  readonly maxCells?: number;
}

/**
 * Cells of the reservoir: multiple x B, never more than the document (R = N is the full cache), never
 * more than memory allows, and never fewer than the answer budget.
 */
export function reservoirCells({ budget, multiple, documentTokens, maxCells = Infinity }: ReservoirSizeInput): number {
  const wanted = Math.max(budget, Math.floor(Math.max(0, multiple) * budget));
  const cells = Math.min(wanted, documentTokens, Math.max(budget, Math.floor(maxCells)));
  return Math.max(Math.min(budget, documentTokens), cells);
}

/** The most reservoir cells `freeBytes` of memory hold at `kvBytesPerToken`, at the reservoir's share. */
export function reservoirCellsForMemory(freeBytes: number, kvBytesPerToken: number): number {
  if (!(kvBytesPerToken > 0) || !(freeBytes > 0)) return Infinity;
  return Math.floor((freeBytes * RESERVOIR_MEMORY_SHARE) / kvBytesPerToken);
}

/** Cells the chat history may hold before it is compressed. */
export function historyShareCells(budget: number): number {
  return Math.floor(budget * HISTORY_SHARE);
}

export interface ReservoirMemoryInput {
  readonly budget: number;
  readonly reservoir: number;
  readonly chunkTokens: number;
  /** Cells kept free for the chat, the question and the answer. */
  readonly reserve: number;
  readonly kvBytesPerToken: number;
}

/** What the slider shows: the answer budget and the reservoir in bytes, and the cells held at the peak. */
export interface ReservoirMemory {
  budgetBytes: number;
  reservoirBytes: number;
  /**
   * Cells held at the peak: the reservoir plus a chunk while reading, the reservoir plus the chat, question
   * and answer while answering (the kept-aside reservoir stays in the cache under the answer's masks).
   */
  peakCells: number;
  peakBytes: number;
}

export function reservoirMemory(input: ReservoirMemoryInput): ReservoirMemory {
  const { budget, reservoir, chunkTokens, reserve, kvBytesPerToken } = input;
  const peakCells = reservoir + Math.max(chunkTokens, reserve);
  return {
    budgetBytes: budget * kvBytesPerToken,
    reservoirBytes: reservoir * kvBytesPerToken,
    peakCells,
    peakBytes: peakCells * kvBytesPerToken,
  };
}

/**
 * Per layer, the positions (0..n-1, ascending) the answer must not see: everything outside what `view`
 * makes visible to that layer. With these masked, the reservoir stays in the cache, whole, for the next
 * question, while each layer attends to exactly the kept set the plan chose.
 */
export function hiddenPositions(plan: PhysicalPlan, view: PlanView): Int32Array[] {
  return plan.kept.map((_, layer) => complementOf(visiblePositions(plan, layer, view), plan.n));
}

/** 0..n-1 without the sorted `visible`. */
function complementOf(visible: Int32Array, n: number): Int32Array {
  const hidden = new Int32Array(n - visible.length);
  let filled = 0;
  let next = 0;
  for (const position of visible) {
    for (; next < position; next++) hidden[filled++] = next;
    next = position + 1;
  }
  for (; next < n; next++) hidden[filled++] = next;
  return hidden;
}
