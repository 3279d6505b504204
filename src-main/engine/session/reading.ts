import type { LlamaContext, Token } from "node-llama-cpp";
import {
  createMethod,
  type HeadProfile,
  reservoirCells,
  reservoirCellsForMemory,
  withUniformLayerBudgets,
} from "../../compresskv";
import { AppError } from "../../errors/app-error";
import { CacheCompressor, type RemovalMode } from "../compression/cache-compressor";
import {
  ANSWER_RESERVE_CELLS,
  type CompressionSettings,
  type ReadingMode,
  readingModeOf,
} from "../compression/compression-settings";
import { chooseMethod } from "../compression/method-choice";
import type { PrefillMemo } from "../compression/prefill-memo";
import type { LoadedModel } from "../loaded-model";
import { AttentionProbe, contextProbeAvailability, probeAvailability } from "../probe";
import { documentPrefix, promptFormatFor } from "../prompt-format";
import {
  compactReadingCells,
  chunksOf,
  type Compression,
  type IngestProgress,
  PassTally,
  type SessionParts,
  throwIfCancelled,
} from "./session-parts";

export interface OpenSessionOptions {
  onProgress?(progress: IngestProgress): void;
  signal?: AbortSignal;
  /** Tokens kept free for questions and answers beyond the document. */
  answerReserve?: number;
  /** Prefill chunk size of the full cache, in tokens. */
  chunkTokens?: number;
  flashAttention?: boolean;
  /** Compress the cache; absent, or method "full", keeps the full cache. */
  compression?: CompressionSettings;
  /** The model's calibrated profile, for the head-guided methods. */
  profile?: HeadProfile;
  /** auto: keep positions when the document fits the model's trained context, else compact. */
  removal?: "auto" | RemovalMode;
  /** A folder written by `saveState`: when it matches, the session resumes from it without reading the document. */
  restoreFrom?: string;
  /** Save a compressed document state here once it has been read (for `restoreFrom` next time). */
  saveTo?: string;
  /**
   * Shares the reading of the prompt with earlier and later sessions on the same document and question
   * that compress it differently (an evaluation grid's methods and budgets): what one of them evaluated
   * before its first compression, the others load.
   */
  prefillMemo?: PrefillMemo;
}

type ReadOptions = { onProgress?(p: IngestProgress): void; signal?: AbortSignal };

const DEFAULT_CHUNK_TOKENS = 512;

/** The reservoir's cells for this document: the settings' multiple of the budget, within the document and free memory. */
async function reservoirSize(
  model: LoadedModel,
  settings: CompressionSettings,
  documentTokens: number,
): Promise<number> {
  const llama = model.model.llama;
  const free = llama.gpu ? (await llama.getVramState()).free : (await llama.getRamState()).free;
  return reservoirCells({
    budget: settings.budget,
    multiple: settings.reservoirMultiple,
    documentTokens,
    maxCells: reservoirCellsForMemory(free, model.info.kvBytesPerToken),
  });
}

/**
 * Tokenizes the document, sizes and creates its context and, when the cache is compressed, the
 * compressor for the chosen method. Nothing is read into the cache yet.
 */
export async function createSessionParts(
  model: LoadedModel,
  documentText: string,
  options: OpenSessionOptions,
): Promise<SessionParts> {
  const format = promptFormatFor(model);
  options.onProgress?.({ phase: "tokenizing", doneTokens: 0, totalTokens: 0 });
  const prefix = documentPrefix(format, documentText);
  throwIfCancelled(options.signal);
  const reserve = options.answerReserve ?? ANSWER_RESERVE_CELLS;
  const trained = model.info.trainContextSize || prefix.length + reserve;
  const settings = options.compression;
  const compress = settings !== undefined && settings.method !== "full" && prefix.length > settings.budget;
  const fitsTrained = prefix.length + reserve <= trained;
  if (!compress && !fitsTrained) {
    throw new AppError(
      "document-too-long",
      `This document is ${prefix.length.toLocaleString("en")} tokens; with room for the chat it needs ` +
        `${(prefix.length + reserve).toLocaleString("en")}, more than the ${trained.toLocaleString("en")} tokens ` +
        `${model.info.name} was trained on. Choose a compression method and a budget to read it.`,
    );
  }

  const runtimeProbe = probeAvailability(model.model.llama);
  let removal: RemovalMode = "keep-positions";
  if (compress) {
    const wanted = options.removal ?? "auto";
    // Keeping positions frees cells by our native code and needs every token index inside the context.
    removal = wanted === "auto" ? (fitsTrained && runtimeProbe.available ? "keep-positions" : "compact") : wanted;
  }
  let reading: ReadingMode = settings ? readingModeOf(settings) : "question-agnostic";
  const readCells =
    compress && reading === "reservoir" ? await reservoirSize(model, settings, prefix.length) : (settings?.budget ?? 0);
  const contextSize =
    compress && removal === "compact"
      ? compactReadingCells(readCells, settings?.chunkTokens ?? DEFAULT_CHUNK_TOKENS, prefix.length) + reserve
      : prefix.length + reserve;

  let context: LlamaContext;
  try {
    context = await model.model.createContext({
      contextSize,
      // The probe reads attention probabilities, which flash attention never materialises.
      flashAttention: compress && runtimeProbe.available ? false : (options.flashAttention ?? false),
      sequences: 1,
    });
  } catch (error) {
    throw new AppError("model-too-large", `Not enough memory for this document's cache: ${(error as Error).message}`);
  }
  const sequence = context.getSequence();
  try {
    let compression: Compression | null = null;
    if (compress) {
      // The binary may carry the probe while this model's memory is one it cannot read (a hybrid or
      // recurrent model; sliding-window caches are read): then attention methods fall back, saying why,
      // and removal compacts.
      const probeHere = runtimeProbe.available ? contextProbeAvailability(context) : runtimeProbe;
      if (!probeHere.available) removal = "compact";
      const choice = chooseMethod(settings.method, { profile: options.profile, probe: probeHere });
      const created = createMethod(choice.method, {
        shape: { nLayers: model.shape.layers, nHead: model.shape.heads, nHeadKv: model.shape.kvHeads },
        profile: options.profile,
        headsPerLayer: settings.headsPerLayer,
        seed: settings.seed,
      });
      const method = settings.uniformLayerBudgets ? withUniformLayerBudgets(created, model.shape.layers) : created;
      const probe = probeHere.available ? AttentionProbe.attach(context) : null;
      let readingFallbackReason: string | undefined;
      if (reading === "reservoir" && !probeHere.available) {
        // The answer's cells are chosen by masking the rest of the reservoir, which needs the probe.
        reading = "question-agnostic";
        readingFallbackReason =
          `a reservoir hides the cells an answer does not keep through the attention probe's masks: ${probeHere.reason}; ` +
          `the document was read question-agnostically to the budget instead`;
      }
      const compressor = new CacheCompressor(
        sequence,
        // With a prefill memo, the reading captures every head for the methods that come after this one.
        method.needsAttention || settings.plan === "exact" || reading === "reservoir" || options.prefillMemo
          ? probe
          : null,
        method,
        { nLayers: model.shape.layers, nHead: model.shape.heads, nHeadKv: model.shape.kvHeads },
        settings,
        removal,
        options.prefillMemo,
      );
      compression = {
        settings,
        choice,
        compressor,
        reading,
        ...(readingFallbackReason ? { readingFallbackReason } : {}),
        readCells: reading === "reservoir" ? readCells : settings.budget,
        documentEnd: null,
        lastPass: null,
      };
    }
    return { model, documentText, format, context, sequence, prefix, compression, ingestTally: new PassTally() };
  } catch (error) {
    await context.dispose();
    throw error;
  }
}

/** Prefills the full cache with the document, chunk by chunk. */
export async function prefillFull(parts: SessionParts, options: OpenSessionOptions): Promise<void> {
  const chunk = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
  for (const { start, end } of chunksOf(parts.prefix.length, chunk)) {
    throwIfCancelled(options.signal);
    await parts.sequence.evaluateWithoutGeneratingNewTokens(parts.prefix.slice(start, end));
    options.onProgress?.({ phase: "prefill", doneTokens: end, totalTokens: parts.prefix.length });
  }
}

/**
 * Reads the document chunk by chunk, compressing after each (window: the chunk's end) to the budget,
 * or to the reservoir, which every layer keeps whole (the answers choose their own cells from it).
 */
export async function readAgnostic(parts: SessionParts, options: ReadOptions): Promise<void> {
  const compression = parts.compression!;
  const { compressor, settings, readCells } = compression;
  const view = compression.reading === "reservoir" ? "shared" : settings.plan;
  const tally = new PassTally();
  for (const { start, end } of chunksOf(parts.prefix.length, settings.chunkTokens)) {
    throwIfCancelled(options.signal);
    const captures = await compressor.evaluate(parts.prefix.slice(start, end), start, settings.window);
    tally.add(await compressor.compress(captures, settings.window, readCells, 0, view));
    reportReading(parts, options, end, tally);
  }
  compression.documentEnd = parts.sequence.nextTokenIndex;
  parts.ingestTally = tally;
}

/**
 * Reads the document again with the question as the window: after each chunk the question is
 * evaluated, the document part compressed to the budget by its attention, and the question
 * dropped again, except after the last chunk, where it stays for the answer.
 */
export async function readWithQuestion(parts: SessionParts, tail: Token[], options: ReadOptions): Promise<PassTally> {
  const { compressor, settings } = parts.compression!;
  const tally = new PassTally();
  await compressor.clear();
  const chunks = chunksOf(parts.prefix.length, settings.chunkTokens);
  for (const [i, { start, end }] of chunks.entries()) {
    throwIfCancelled(options.signal);
    await compressor.evaluate(parts.prefix.slice(start, end), start, 0);
    const captures = await compressor.evaluate(tail, parts.prefix.length, tail.length);
    // The chunk's last token stays too: llama.cpp wants each new token right after the highest position held.
    tally.add(await compressor.compress(captures, tail.length + 1, settings.budget + tail.length, tail.length));
    if (i < chunks.length - 1) await compressor.eraseFrom(parts.sequence.nextTokenIndex - tail.length);
    reportReading(parts, options, end, tally);
  }
  return tally;
}

function reportReading(parts: SessionParts, options: ReadOptions, doneTokens: number, tally: PassTally): void {
  options.onProgress?.({
    phase: "prefill",
    doneTokens,
    totalTokens: parts.prefix.length,
    cacheCells: parts.compression!.compressor.cellsInUse,
    passes: tally.passes,
  });
}
