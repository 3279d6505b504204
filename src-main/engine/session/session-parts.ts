import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { AppError } from "../../errors/app-error";
import type { CacheCompressor, CompressionPass } from "../compression/cache-compressor";
import type { CompressionSettings, ReadingMode } from "../compression/compression-settings";
import type { MethodChoice } from "../compression/method-choice";
import type { LoadedModel } from "../loaded-model";
import type { PromptFormat } from "../prompt-format";

export interface IngestProgress {
  phase: "tokenizing" | "prefill";
  doneTokens: number;
  totalTokens: number;
  /** Cells in use after this step. */
  cacheCells?: number;
  /** Compression passes so far. */
  passes?: number;
}

/** What a compressed session keeps beside the sequence. */
export interface Compression {
  settings: CompressionSettings;
  choice: MethodChoice;
  compressor: CacheCompressor;
  /** How the document is read (the settings' mode, unless it fell back: see `readingFallbackReason`). */
  reading: ReadingMode;
  /** Why `reading` is not the settings' mode, if it is not. */
  readingFallbackReason?: string;
  /** Cells the document is read into: the reservoir R, or the budget without one. */
  readCells: number;
  /** Token index where the document ends in the sequence, once it has been read question-agnostically. */
  documentEnd: number | null;
  lastPass: CompressionPass | null;
}

/** Timings and passes of one request's compression work. */
export class PassTally {
  passes = 0;
  scoringMs = 0;
  removalMs = 0;
  last: CompressionPass | null = null;

  add(pass: CompressionPass | null): void {
    if (!pass) return;
    this.passes++;
    this.scoringMs += pass.scoringMs;
    this.removalMs += pass.removalMs;
    this.last = pass;
  }
}

/** One document in one context sequence: what the reading, asking, saving and reporting parts share. */
export interface SessionParts {
  readonly model: LoadedModel;
  readonly documentText: string;
  readonly format: PromptFormat;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  /** The document's prompt tokens (the prefix every question's prompt starts with). */
  readonly prefix: Token[];
  readonly compression: Compression | null;
  /** Passes of the question-agnostic reading (or of the saved state the session resumed from). */
  ingestTally: PassTally;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("cancelled", "Cancelled.");
}

export function chunksOf(length: number, size: number): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = [];
  for (let start = 0; start < length; start += size) chunks.push({ start, end: Math.min(length, start + size) });
  return chunks;
}

/** Cells the sequence occupies in the KV cache. */
export function cacheCellsOf(parts: SessionParts): number {
  return parts.compression ? parts.compression.compressor.cellsInUse : parts.sequence.nextTokenIndex;
}

/**
 * Cells a compacting reading needs at its peak: the cells it keeps and one chunk read on top of them
 * (a document shorter than a chunk is read in one piece). The context holds these plus the chat's room.
 */
export function compactReadingCells(keptCells: number, chunkTokens: number, documentTokens: number): number {
  return keptCells + Math.min(chunkTokens, documentTokens);
}
