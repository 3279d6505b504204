import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { AppError } from "../api/app-error";
import type { AnswerStats } from "../api/contract";
import type { LoadedModel } from "./loaded-model";
import { chatPromptFormat, completionPromptFormat, documentPrefix, type ConversationTurn, type PromptFormat } from "./prompt-format";
import { StreamedText } from "./streamed-text";

export interface IngestProgress {
  phase: "tokenizing" | "prefill";
  doneTokens: number;
  totalTokens: number;
}

export interface OpenSessionOptions {
  onProgress?(progress: IngestProgress): void;
  signal?: AbortSignal;
  /** Tokens kept free for questions and answers beyond the document. */
  answerReserve?: number;
  /** Prefill chunk size, in tokens. */
  chunkTokens?: number;
  flashAttention?: boolean;
}

export interface AskOptions {
  onText?(text: string): void;
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

/**
 * One document held in one context sequence with its full KV cache: the document is prefilled
 * once, and each question reuses it, erasing only what follows the longest shared prefix.
 */
export class DocumentSession {
  private constructor(
    readonly model: LoadedModel,
    readonly documentText: string,
    private readonly format: PromptFormat,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    readonly documentTokens: number,
  ) {}

  static async open(model: LoadedModel, documentText: string, options: OpenSessionOptions = {}): Promise<DocumentSession> {
    const format =
      model.info.promptStyle === "chat" ? chatPromptFormat(model.model) : completionPromptFormat(model.model);
    options.onProgress?.({ phase: "tokenizing", doneTokens: 0, totalTokens: 0 });
    const prefix = documentPrefix(format, documentText);
    throwIfCancelled(options.signal);
    const reserve = options.answerReserve ?? DEFAULT_ANSWER_RESERVE;
    const trained = model.info.trainContextSize || prefix.length + reserve;
    if (prefix.length + reserve > trained) {
      throw new AppError(
        "document-too-long",
        `This document is ${prefix.length.toLocaleString("en")} tokens; with room for the chat it needs ` +
          `${(prefix.length + reserve).toLocaleString("en")}, more than the ${trained.toLocaleString("en")} tokens ` +
          `${model.info.name} was trained on. Choose a smaller document or a model with a longer context.`,
      );
    }
    let context: LlamaContext;
    try {
      context = await model.model.createContext({
        contextSize: prefix.length + reserve,
        flashAttention: options.flashAttention ?? false,
        sequences: 1,
      });
    } catch (error) {
      throw new AppError("model-too-large", `Not enough memory for this document's cache: ${(error as Error).message}`);
    }
    const session = new DocumentSession(model, documentText, format, context, context.getSequence(), prefix.length);
    try {
      await session.prefill(prefix, options);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return session;
  }

  private async prefill(tokens: Token[], options: OpenSessionOptions): Promise<void> {
    const chunk = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
    for (let done = 0; done < tokens.length; ) {
      throwIfCancelled(options.signal);
      const next = tokens.slice(done, done + chunk);
      await this.sequence.evaluateWithoutGeneratingNewTokens(next);
      done += next.length;
      options.onProgress?.({ phase: "prefill", doneTokens: done, totalTokens: tokens.length });
    }
  }

  /** Cells this sequence occupies in the KV cache. */
  get cacheCells(): number {
    return this.sequence.nextTokenIndex;
  }

  /** Brings the cache to the prompt's longest evaluated prefix and returns the tokens still to evaluate. */
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

  async ask(history: ConversationTurn[], question: string, options: AskOptions = {}): Promise<Answer> {
    const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    const promptTokens = this.format.tokens(this.documentText, history, question);
    if (promptTokens.length + maxTokens > this.context.contextSize) {
      throw new AppError(
        "document-too-long",
        "The chat has grown past this document's cache. Start a new chat about the document to continue.",
      );
    }
    throwIfCancelled(options.signal);
    const started = performance.now();
    const pending = await this.alignTo(promptTokens);
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
        const tail = kept.slice(answer.length);
        if (tail) options.onText?.(tail);
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
    return {
      text: answer,
      stats: {
        promptTokens: promptTokens.length,
        documentTokens: this.documentTokens,
        generatedTokens: generated.length,
        cacheCells: this.cacheCells,
        kvBytes: this.cacheCells * this.model.info.kvBytesPerToken,
        prefillMs: firstTokenAt - started,
        decodeMs: finished - firstTokenAt,
        stopReason,
      },
    };
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
