import type { MethodName } from "../../compresskv/method";
import type { ReadingMode } from "../compression/compression-settings";
import type { HistoryHandling } from "./reservoir-answer";
import { rangesLength, toRanges } from "../compression/position-ranges";
import type { PassTally, SessionParts } from "./session-parts";

/** Per layer, what the compressed cache gave that layer. */
export interface LayerCacheReport {
  /** Tokens the method allowed this layer (B_l). */
  budget: number;
  /** Tokens this layer attends to. */
  visible: number;
  /** Share of this layer's observation-window attention mass its visible set retains (null: not measured). */
  retainedMass: number | null;
  /** Visible token positions as flattened [start, end) pairs. */
  visibleRanges: number[];
  /**
   * True for a sliding-window layer (Gemma 3's local layers): it reads llama.cpp's window cache, so its
   * visible set is the window that cache holds and its budget the window's width, not the method's
   * choice. Absent in reports saved before it existed.
   */
  window?: boolean;
}

/** How one request's cache was compressed. Positions are token positions in the prompt. */
export interface CompressionReport {
  requestedMethod: MethodName;
  method: MethodName;
  /** Why `method` differs from `requestedMethod` (not calibrated, no attention probe), if it does. */
  fallbackReason?: string;
  plan: "shared" | "exact";
  questionAware: boolean;
  /** How the document was read (see ReadingMode). */
  reading: ReadingMode;
  /** Why `reading` is not the mode the settings asked for, if it is not. */
  readingFallbackReason?: string;
  /** Cells the document was read into: the reservoir R (the budget without one). */
  reservoirCells: number;
  /** Reservoir: the positions it holds (flattened [start, end) pairs); the layers' ranges are the answer's. */
  reservoirRanges?: number[];
  /** Reservoir: what became of the chat before the question. */
  history?: HistoryHandling;
  removal: "keep-positions" | "compact";
  /** Cells the document may occupy (the memory budget). */
  budget: number;
  layers: LayerCacheReport[];
  /** Token positions held in the cache, as flattened [start, end) pairs. */
  unionRanges: number[];
  /** Compression passes this request ran. */
  passes: number;
  scoringMs: number;
  removalMs: number;
}

export interface AnswerStats {
  promptTokens: number;
  documentTokens: number;
  generatedTokens: number;
  /** Cells the sequence holds in the KV cache after answering. */
  cacheCells: number;
  kvBytes: number;
  prefillMs: number;
  decodeMs: number;
  stopReason: "eos" | "max-tokens" | "cancelled";
  /** Cells the context allocates (its memory), whether in use or not. */
  allocatedCells: number;
  /** Present when the cache was compressed. */
  compression?: CompressionReport;
}

/** What a compressed session's cache gave each layer after the request whose passes `tally` counted. */
export function compressionReport(parts: SessionParts, tally: PassTally, history?: HistoryHandling): CompressionReport {
  const compression = parts.compression!;
  const { settings, choice, compressor } = compression;
  const { prefix } = parts;
  const reservoir = compression.reading === "reservoir";
  // A reservoir that fitted the answer whole shows the reservoir.
  const pass = tally.last ?? (reservoir ? parts.ingestTally.last : null);
  const layers: LayerCacheReport[] = Array.from({ length: parts.model.shape.layers }, (_, layer) => {
    const visibleRanges = pass ? toRanges(pass.visible[layer]) : [0, prefix.length];
    return {
      budget: pass ? pass.budgets[layer] : prefix.length,
      visible: rangesLength(visibleRanges),
      retainedMass: pass ? pass.retainedMass[layer] : 1,
      visibleRanges,
      window: compressor.layout.isWindowLayer(layer),
    };
  });
  return {
    requestedMethod: choice.requested,
    method: choice.method,
    ...(choice.fallbackReason ? { fallbackReason: choice.fallbackReason } : {}),
    plan: settings.plan,
    questionAware: settings.questionAware,
    reading: compression.reading,
    ...(compression.readingFallbackReason ? { readingFallbackReason: compression.readingFallbackReason } : {}),
    reservoirCells: compression.readCells,
    ...(reservoir && compression.documentEnd !== null
      ? { reservoirRanges: toRanges(compressor.heldOrigins(compression.documentEnd)) }
      : {}),
    ...(history ? { history } : {}),
    removal: compressor.removal,
    budget: settings.budget,
    layers,
    unionRanges: pass ? toRanges(pass.union) : [0, prefix.length],
    passes: tally.passes,
    scoringMs: tally.scoringMs,
    removalMs: tally.removalMs,
  };
}
