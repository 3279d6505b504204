import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { LoadedModel } from "./loaded-model";
import type { ConversationTurn } from "./prompt-format";
import { type Answer, type AskOptions, ask, nextTokenProbabilities } from "./session/asking";
import { createSessionParts, type OpenSessionOptions, prefillFull, readAgnostic } from "./session/reading";
import { canSaveState, packCells, restoreState, saveState } from "./session/saved-state";
import { cacheCellsOf, type SessionParts } from "./session/session-parts";

export type { Answer, AskOptions } from "./session/asking";
export type { OpenSessionOptions } from "./session/reading";
export type { AnswerStats, CompressionReport, LayerCacheReport } from "./session/reports";
export type { IngestProgress } from "./session/session-parts";

/**
 * One document in one context sequence. With the full cache, the document is prefilled once and each
 * question reuses it. With compression, the document is read in chunks and the cache cut down after
 * each one: question-agnostic at open time (window = the chunk's end) to the budget, or to a reservoir
 * of several budgets from which each question keeps the budget by its own attention (the rest masked,
 * the reservoir whole again for the next question), or question-aware per question (window = the
 * question, so the document is read again for each question).
 *
 * The work lives in session/: reading (and compressing) the document, asking, the saved state and
 * the compression report; this class holds one session's parts and hands them to each.
 */
export class DocumentSession {
  /** True when the session resumed from a saved state instead of reading the document. */
  restored = false;

  private constructor(private readonly parts: SessionParts) {}

  get model(): LoadedModel {
    return this.parts.model;
  }

  get documentText(): string {
    return this.parts.documentText;
  }

  get documentTokens(): number {
    return this.parts.prefix.length;
  }

  /** The context sequence the document is read into (tests ask llama.cpp what it holds). */
  get sequence(): LlamaContextSequence {
    return this.parts.sequence;
  }

  static async open(
    model: LoadedModel,
    documentText: string,
    options: OpenSessionOptions = {},
  ): Promise<DocumentSession> {
    const parts = await createSessionParts(model, documentText, options);
    try {
      const session = new DocumentSession(parts);
      if (options.restoreFrom && (await restoreState(parts, options.restoreFrom))) {
        session.restored = true;
        return session;
      }
      if (!parts.compression) await prefillFull(parts, options);
      else if (parts.compression.reading !== "question-aware") {
        await readAgnostic(parts, options);
        if (options.saveTo) await saveState(parts, options.saveTo);
        // Every question starts from the reservoir: its cells packed, as after a restore.
        else if (parts.compression.reading === "reservoir") await packCells(parts);
      }
      return session;
    } catch (error) {
      await parts.context.dispose();
      throw error;
    }
  }

  /** The most cells the sequence has held at once. */
  get peakCells(): number {
    return this.parts.compression ? this.parts.compression.compressor.peakCells : this.parts.sequence.nextTokenIndex;
  }

  /** Cells this sequence occupies in the KV cache. */
  get cacheCells(): number {
    return cacheCellsOf(this.parts);
  }

  ask(history: ConversationTurn[], question: string, options: AskOptions = {}): Promise<Answer> {
    return ask(this.parts, history, question, options);
  }

  /** Whether this session has a document state worth saving (question-aware sessions read per question). */
  get canSaveState(): boolean {
    return canSaveState(this.parts);
  }

  /** Writes the document's cache and what is needed to resume it into `folder`. */
  saveState(folder: string): Promise<void> {
    return saveState(this.parts, folder);
  }

  /**
   * The next-token distribution after the document, the chat and the question (nothing generated).
   * Restored and original sessions must agree on it exactly.
   */
  nextTokenProbabilities(history: ConversationTurn[], question: string): Promise<Map<Token, number>> {
    return nextTokenProbabilities(this.parts, history, question);
  }

  async dispose(): Promise<void> {
    await this.parts.context.dispose();
  }
}
