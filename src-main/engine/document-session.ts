import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { createMethod, type HeadProfile } from "../compresskv";
import { AppError } from "../api/app-error";
import type { AnswerStats, CompressionReport, LayerCacheReport } from "../api/contract";
import {
  CacheCompressor,
  type CompressionPass,
  type CompressorSnapshot,
  type RemovalMode,
} from "./compression/cache-compressor";
import type { CompressionSettings } from "../api/compression-settings";
import { chooseMethod, type MethodChoice } from "./compression/method-choice";
import { rangesLength, toRanges } from "./compression/position-ranges";
import type { LoadedModel } from "./loaded-model";
import { AttentionProbe, probeAvailability } from "./probe";
import { documentPrefix, promptFormatFor, type ConversationTurn, type PromptFormat } from "./prompt-format";
import { StreamedText } from "./streamed-text";
import { writeJsonAtomic } from "../storage/atomic-file";

export interface IngestProgress {
  phase: "tokenizing" | "prefill";
  doneTokens: number;
  totalTokens: number;
  /** Cells in use after this step. */
  cacheCells?: number;
  /** Compression passes so far. */
  passes?: number;
}

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
}

export interface AskOptions {
  onText?(text: string): void;
  onProgress?(progress: IngestProgress): void;
  signal?: AbortSignal;
  maxTokens?: number;
}

export interface Answer {
  text: string;
  stats: AnswerStats;
}

const DEFAULT_ANSWER_RESERVE = 2048;
const DEFAULT_CHUNK_TOKENS = 512;
const DEFAULT_MAX_TOKENS = 512;

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("cancelled", "Cancelled.");
}

function chunksOf(length: number, size: number): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = [];
  for (let start = 0; start < length; start += size) chunks.push({ start, end: Math.min(length, start + size) });
  return chunks;
}

/** What a compressed session keeps beside the sequence. */
interface Compression {
  settings: CompressionSettings;
  choice: MethodChoice;
  compressor: CacheCompressor;
  /** Token index where the document ends in the sequence, once it has been read question-agnostically. */
  documentEnd: number | null;
  lastPass: CompressionPass | null;
}

const STATE_VERSION = 1;
const STATE_FILE = "cache.bin";
const SESSION_FILE = "session.json";

/** The description saved beside a sequence state file. */
interface SavedSession {
  version: number;
  model: { fileName: string; sizeBytes: number; layers: number };
  documentTokens: number;
  contextSize: number;
  compression: {
    settings: CompressionSettings;
    removal: RemovalMode;
    documentEnd: number;
    snapshot: CompressorSnapshot;
    passes: number;
    lastPass: Record<keyof CompressionPass, unknown> | null;
  } | null;
}

function passToJson(pass: CompressionPass): Record<keyof CompressionPass, unknown> {
  return { ...pass, budgets: [...pass.budgets], visible: pass.visible.map((v) => [...v]), union: [...pass.union] };
}

function passFromJson(json: Record<keyof CompressionPass, unknown>): CompressionPass {
  return {
    ...(json as unknown as CompressionPass),
    budgets: Int32Array.from(json.budgets as number[]),
    visible: (json.visible as number[][]).map((v) => Int32Array.from(v)),
    union: Int32Array.from(json.union as number[]),
  };
}

/** Timings and passes of one request's compression work. */
class PassTally {
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

/**
 * One document in one context sequence. With the full cache, the document is prefilled once and each
 * question reuses it. With compression, the document is read in chunks and the cache cut down to the
 * budget after each one: question-agnostic at open time (window = the chunk's end), or question-aware
 * per question (window = the question, so the document is read again for each question).
 */
export class DocumentSession {
  private ingestTally = new PassTally();
  /** True when the session resumed from a saved state instead of reading the document. */
  restored = false;

  private constructor(
    readonly model: LoadedModel,
    readonly documentText: string,
    private readonly format: PromptFormat,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly prefix: Token[],
    private readonly compression: Compression | null,
  ) {}

  get documentTokens(): number {
    return this.prefix.length;
  }

  static async open(
    model: LoadedModel,
    documentText: string,
    options: OpenSessionOptions = {},
  ): Promise<DocumentSession> {
    const format = promptFormatFor(model);
    options.onProgress?.({ phase: "tokenizing", doneTokens: 0, totalTokens: 0 });
    const prefix = documentPrefix(format, documentText);
    throwIfCancelled(options.signal);
    const reserve = options.answerReserve ?? DEFAULT_ANSWER_RESERVE;
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
    const chunk = Math.min(settings?.chunkTokens ?? DEFAULT_CHUNK_TOKENS, prefix.length);
    const contextSize = compress && removal === "compact" ? settings.budget + chunk + reserve : prefix.length + reserve;

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
        const choice = chooseMethod(settings.method, { profile: options.profile, probe: runtimeProbe });
        const method = createMethod(choice.method, {
          shape: { nLayers: model.shape.layers, nHead: model.shape.heads, nHeadKv: model.shape.kvHeads },
          profile: options.profile,
          headsPerLayer: settings.headsPerLayer,
          seed: settings.seed,
        });
        const probe = runtimeProbe.available ? AttentionProbe.attach(context) : null;
        const compressor = new CacheCompressor(
          sequence,
          method.needsAttention || settings.plan === "exact" ? probe : null,
          method,
          { nLayers: model.shape.layers, nHead: model.shape.heads, nHeadKv: model.shape.kvHeads },
          settings,
          removal,
        );
        compression = { settings, choice, compressor, documentEnd: null, lastPass: null };
      }
      const session = new DocumentSession(model, documentText, format, context, sequence, prefix, compression);
      if (options.restoreFrom && (await session.restoreState(options.restoreFrom))) {
        session.restored = true;
        return session;
      }
      if (!compression) await session.prefillFull(options);
      else if (!compression.settings.questionAware) {
        await session.readAgnostic(options);
        if (options.saveTo) await session.saveState(options.saveTo);
      }
      return session;
    } catch (error) {
      await context.dispose();
      throw error;
    }
  }

  private async prefillFull(options: OpenSessionOptions): Promise<void> {
    const chunk = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
    for (const { start, end } of chunksOf(this.prefix.length, chunk)) {
      throwIfCancelled(options.signal);
      await this.sequence.evaluateWithoutGeneratingNewTokens(this.prefix.slice(start, end));
      options.onProgress?.({ phase: "prefill", doneTokens: end, totalTokens: this.prefix.length });
    }
  }

  /** Reads the document chunk by chunk, compressing to the budget after each (window: the chunk's end). */
  private async readAgnostic(options: { onProgress?(p: IngestProgress): void; signal?: AbortSignal }): Promise<void> {
    const compression = this.compression!;
    const { compressor, settings } = compression;
    const tally = new PassTally();
    for (const { start, end } of chunksOf(this.prefix.length, settings.chunkTokens)) {
      throwIfCancelled(options.signal);
      const captures = await compressor.evaluate(this.prefix.slice(start, end), start, settings.window);
      tally.add(await compressor.compress(captures, settings.window, settings.budget));
      this.reportReading(options, end, tally);
    }
    compression.documentEnd = this.sequence.nextTokenIndex;
    this.ingestTally = tally;
  }

  /**
   * Reads the document again with the question as the window: after each chunk the question is
   * evaluated, the document part compressed to the budget by its attention, and the question
   * dropped again, except after the last chunk, where it stays for the answer.
   */
  private async readWithQuestion(tail: Token[], options: AskOptions): Promise<PassTally> {
    const { compressor, settings } = this.compression!;
    const tally = new PassTally();
    await compressor.clear();
    const chunks = chunksOf(this.prefix.length, settings.chunkTokens);
    for (const [i, { start, end }] of chunks.entries()) {
      throwIfCancelled(options.signal);
      await compressor.evaluate(this.prefix.slice(start, end), start, 0);
      const captures = await compressor.evaluate(tail, this.prefix.length, tail.length);
      // The chunk's last token stays too: llama.cpp wants each new token right after the highest position held.
      tally.add(await compressor.compress(captures, tail.length + 1, settings.budget + tail.length, tail.length));
      if (i < chunks.length - 1) await compressor.eraseFrom(this.sequence.nextTokenIndex - tail.length);
      this.reportReading(options, end, tally);
    }
    return tally;
  }

  private reportReading(options: { onProgress?(p: IngestProgress): void }, doneTokens: number, tally: PassTally): void {
    options.onProgress?.({
      phase: "prefill",
      doneTokens,
      totalTokens: this.prefix.length,
      cacheCells: this.compression!.compressor.cellsInUse,
      passes: tally.passes,
    });
  }

  /** The most cells the sequence has held at once. */
  get peakCells(): number {
    return this.compression ? this.compression.compressor.peakCells : this.sequence.nextTokenIndex;
  }

  /** Cells this sequence occupies in the KV cache. */
  get cacheCells(): number {
    return this.compression ? this.compression.compressor.cellsInUse : this.sequence.nextTokenIndex;
  }

  /** Brings the full cache to the prompt's longest evaluated prefix and returns the tokens still to evaluate. */
  private async alignTo(tokens: Token[]): Promise<Token[]> {
    let { firstDifferentIndex } = this.sequence.compareContextTokens(tokens);
    // Generation needs at least one token evaluated now.
    firstDifferentIndex = Math.min(firstDifferentIndex, tokens.length - 1);
    if (firstDifferentIndex === 0) {
      await this.sequence.clearHistory();
    } else if (firstDifferentIndex < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: firstDifferentIndex, end: this.sequence.nextTokenIndex }]);
    }
    return tokens.slice(firstDifferentIndex);
  }

  /** Puts the chat tail after the compressed document; returns the token to generate from and the request's passes. */
  private async prepareCompressed(tail: Token[], options: AskOptions): Promise<{ pending: Token[]; tally: PassTally }> {
    const compression = this.compression!;
    const { compressor, settings } = compression;
    if (settings.questionAware) {
      const tally = await this.readWithQuestion(tail, options);
      // The question is in the cache; evaluate its last token again to sample the first answer token.
      await compressor.eraseFrom(this.sequence.nextTokenIndex - 1);
      return { pending: tail.slice(-1), tally };
    }
    await compressor.eraseFrom(compression.documentEnd!);
    await compressor.evaluate(tail.slice(0, -1), this.prefix.length, 0);
    return { pending: tail.slice(-1), tally: this.ingestTally };
  }

  async ask(history: ConversationTurn[], question: string, options: AskOptions = {}): Promise<Answer> {
    const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    const promptTokens = this.format.tokens(this.documentText, history, question);
    const tail = promptTokens.slice(this.prefix.length);
    if (tail.length === 0 || promptTokens.slice(0, this.prefix.length).some((token, i) => token !== this.prefix[i])) {
      throw new AppError("internal", "The prompt format did not keep the document as the start of the prompt.");
    }
    const compactBudget = this.compression?.compressor.removal === "compact" ? this.compression.settings : null;
    const room =
      this.context.contextSize -
      (compactBudget ? compactBudget.budget + compactBudget.chunkTokens : this.prefix.length);
    if (tail.length + maxTokens > room) {
      throw new AppError(
        "document-too-long",
        "The chat has grown past this document's cache. Start a new chat about the document to continue.",
      );
    }
    throwIfCancelled(options.signal);
    const started = performance.now();
    let pending: Token[];
    let tally: PassTally | null = null;
    if (this.compression) ({ pending, tally } = await this.prepareCompressed(tail, options));
    else pending = await this.alignTo(promptTokens);

    const model = this.model.model;
    const generated: Token[] = [];
    const streamed = new StreamedText(() => model.detokenize(generated));
    let stopReason: AnswerStats["stopReason"] = "max-tokens";
    let firstTokenAt = 0;
    let answer = "";
    for await (const token of this.sequence.evaluate(pending, { temperature: 0 })) {
      firstTokenAt ||= performance.now();
      if (options.signal?.aborted) {
        stopReason = "cancelled";
        break;
      }
      if (model.isEogToken(token)) {
        stopReason = "eos";
        break;
      }
      generated.push(token);
      const delta = streamed.next();
      const stopAt = this.stopIndex(streamed.text);
      if (stopAt >= 0) {
        const kept = streamed.text.slice(0, stopAt);
        const rest = kept.slice(answer.length);
        if (rest) options.onText?.(rest);
        answer = kept;
        stopReason = "eos";
        break;
      }
      if (delta) {
        answer = streamed.text;
        options.onText?.(delta);
      }
      if (generated.length >= maxTokens) break;
    }
    const finished = performance.now();
    firstTokenAt ||= finished;
    this.compression?.compressor.noteEvaluated(this.sequence.nextTokenIndex);
    return {
      text: answer,
      stats: {
        promptTokens: promptTokens.length,
        documentTokens: this.prefix.length,
        generatedTokens: generated.length,
        cacheCells: this.cacheCells,
        allocatedCells: this.context.contextSize,
        kvBytes: this.cacheCells * this.model.info.kvBytesPerToken,
        prefillMs: firstTokenAt - started,
        decodeMs: finished - firstTokenAt,
        stopReason,
        ...(tally && this.compression ? { compression: this.report(tally) } : {}),
      },
    };
  }

  private report(tally: PassTally): CompressionReport {
    const { settings, choice, compressor } = this.compression!;
    const pass = tally.last;
    const layers: LayerCacheReport[] = Array.from({ length: this.model.shape.layers }, (_, layer) => {
      const visibleRanges = pass ? toRanges(pass.visible[layer]) : [0, this.prefix.length];
      return {
        budget: pass ? pass.budgets[layer] : this.prefix.length,
        visible: rangesLength(visibleRanges),
        retainedMass: pass ? pass.retainedMass[layer] : 1,
        visibleRanges,
      };
    });
    return {
      requestedMethod: choice.requested,
      method: choice.method,
      ...(choice.fallbackReason ? { fallbackReason: choice.fallbackReason } : {}),
      plan: settings.plan,
      questionAware: settings.questionAware,
      removal: compressor.removal,
      budget: settings.budget,
      layers,
      unionRanges: pass ? toRanges(pass.union) : [0, this.prefix.length],
      passes: tally.passes,
      scoringMs: tally.scoringMs,
      removalMs: tally.removalMs,
    };
  }

  /** Whether this session has a document state worth saving (question-aware sessions read per question). */
  get canSaveState(): boolean {
    return !this.compression || this.compression.documentEnd !== null;
  }

  /** Writes the document's cache and what is needed to resume it into `folder`. */
  async saveState(folder: string): Promise<void> {
    if (!this.canSaveState)
      throw new AppError(
        "not-available",
        "Question-aware sessions read the document per question; there is no state to save.",
      );
    const compression = this.compression;
    // Drop any chat after the document: the saved state is the document alone.
    if (compression) await compression.compressor.eraseFrom(compression.documentEnd!);
    else if (this.sequence.nextTokenIndex > this.prefix.length) {
      await this.sequence.eraseContextTokenRanges([{ start: this.prefix.length, end: this.sequence.nextTokenIndex }]);
    }
    await mkdir(folder, { recursive: true });
    await rm(join(folder, SESSION_FILE), { force: true });
    await this.sequence.saveStateToFile(join(folder, STATE_FILE));
    const saved: SavedSession = {
      version: STATE_VERSION,
      model: {
        fileName: this.model.info.fileName,
        sizeBytes: this.model.info.sizeBytes,
        layers: this.model.info.layers,
      },
      documentTokens: this.prefix.length,
      contextSize: this.context.contextSize,
      compression: compression
        ? {
            settings: compression.settings,
            removal: compression.compressor.removal,
            documentEnd: compression.documentEnd!,
            snapshot: compression.compressor.snapshot(),
            passes: this.ingestTally.passes,
            lastPass: this.ingestTally.last ? passToJson(this.ingestTally.last) : null,
          }
        : null,
    };
    // Written last: a folder without it holds no usable state.
    await writeJsonAtomic(join(folder, SESSION_FILE), saved);
  }

  /** Loads a state saved by a session like this one; false (and nothing changed) when it does not match. */
  private async restoreState(folder: string): Promise<boolean> {
    let saved: SavedSession;
    try {
      saved = JSON.parse(await readFile(join(folder, SESSION_FILE), "utf8")) as SavedSession;
    } catch {
      return false;
    }
    const compression = this.compression;
    const matches =
      saved.version === STATE_VERSION &&
      saved.model.fileName === this.model.info.fileName &&
      saved.model.sizeBytes === this.model.info.sizeBytes &&
      saved.documentTokens === this.prefix.length &&
      saved.contextSize === this.context.contextSize &&
      (compression === null
        ? saved.compression === null
        : saved.compression !== null &&
          !compression.settings.questionAware &&
          saved.compression.removal === compression.compressor.removal &&
          JSON.stringify(saved.compression.settings) === JSON.stringify(compression.settings));
    if (!matches) return false;
    await this.sequence.loadStateFromFile(join(folder, STATE_FILE), { acceptRisk: true });
    if (compression && saved.compression) {
      compression.compressor.resume(saved.compression.snapshot);
      compression.documentEnd = saved.compression.documentEnd;
      const tally = new PassTally();
      tally.passes = saved.compression.passes;
      tally.last = saved.compression.lastPass ? passFromJson(saved.compression.lastPass) : null;
      this.ingestTally = tally;
    }
    return true;
  }

  /**
   * The next-token distribution after the document, the chat and the question (nothing generated).
   * Restored and original sessions must agree on it exactly.
   */
  async nextTokenProbabilities(history: ConversationTurn[], question: string): Promise<Map<Token, number>> {
    const promptTokens = this.format.tokens(this.documentText, history, question);
    const tail = promptTokens.slice(this.prefix.length);
    const pending = this.compression
      ? (await this.prepareCompressed(tail, {})).pending
      : await this.alignTo(promptTokens);
    const before = pending.slice(0, -1);
    if (before.length) await this.sequence.evaluateWithoutGeneratingNewTokens(before);
    const [result] = (
      await this.sequence.controlledEvaluate([[pending.at(-1)!, { generateNext: { probabilities: true } }]])
    ).slice(-1);
    this.compression?.compressor.noteEvaluated(this.sequence.nextTokenIndex);
    const probabilities = result?.next?.probabilities;
    if (!probabilities) throw new Error("llama.cpp returned no probabilities");
    return probabilities;
  }

  private stopIndex(text: string): number {
    let first = -1;
    for (const stop of this.format.stopTexts) {
      const at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
  }
}
