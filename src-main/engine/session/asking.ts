import type { Token } from "node-llama-cpp";
import { AppError } from "../../errors/app-error";
import type { ConversationTurn } from "../prompt-format";
import { firstStopIndex } from "../stop-text";
import { StreamedText } from "../streamed-text";
import { readWithQuestion } from "./reading";
import { type AnswerStats, compressionReport } from "./reports";
import { type HistoryHandling, prepareFromReservoir } from "./reservoir-answer";
import {
  cacheCellsOf,
  compactReadingCells,
  type IngestProgress,
  type PassTally,
  type SessionParts,
  throwIfCancelled,
} from "./session-parts";

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

const DEFAULT_MAX_TOKENS = 512;

/**
 * Brings the full cache back to the document (or less, where the prompt differs) and returns the
 * tokens still to evaluate. The chat after the document is evaluated again, as one batch, for every
 * question: a token evaluated alone rounds differently from one evaluated in a batch, and in a
 * quantised model that is enough to change a greedy answer, so keeping a cached question would
 * make a regenerated answer differ from the one a fresh session gives.
 */
async function alignTo(parts: SessionParts, tokens: Token[]): Promise<Token[]> {
  const { sequence } = parts;
  let { firstDifferentIndex } = sequence.compareContextTokens(tokens);
  // Generation needs at least one token evaluated now.
  firstDifferentIndex = Math.min(firstDifferentIndex, parts.prefix.length, tokens.length - 1);
  if (firstDifferentIndex === 0) {
    await sequence.clearHistory();
  } else if (firstDifferentIndex < sequence.nextTokenIndex) {
    await sequence.eraseContextTokenRanges([{ start: firstDifferentIndex, end: sequence.nextTokenIndex }]);
  }
  return tokens.slice(firstDifferentIndex);
}

interface Prepared {
  pending: Token[];
  tally: PassTally;
  history?: HistoryHandling;
}

/** Puts the chat tail after the compressed document; returns the token to generate from and the request's passes. */
async function prepareCompressed(parts: SessionParts, prompt: ChatPrompt, options: AskOptions): Promise<Prepared> {
  const compression = parts.compression!;
  const { compressor } = compression;
  const { tail } = prompt;
  if (compression.reading === "reservoir") {
    return prepareFromReservoir(parts, tail, prompt.questionTokens(), prompt.droppedTurns, options.signal);
  }
  if (compression.reading === "question-aware") {
    const tally = await readWithQuestion(parts, tail, options);
    // The question is in the cache; evaluate its last token again to sample the first answer token.
    await compressor.eraseFrom(parts.sequence.nextTokenIndex - 1);
    return { pending: tail.slice(-1), tally };
  }
  await compressor.eraseFrom(compression.documentEnd!);
  await compressor.evaluate(tail.slice(0, -1), parts.prefix.length, 0);
  return { pending: tail.slice(-1), tally: parts.ingestTally };
}

/** A question's prompt: its tokens, the part after the document, and how much of that is the question. */
interface ChatPrompt {
  promptTokens: Token[];
  tail: Token[];
  /** Tokens of the tail that are the new question (the rest is the chat before it). */
  questionTokens(): number;
  /** Oldest turns left out so that the chat fits beside a reservoir. */
  droppedTurns: number;
}

/**
 * The prompt for `question` after `history`, checked against the room the context keeps beside the
 * document. A reservoir's chat drops its oldest turns until it fits (the answer says how many); the
 * other modes refuse a chat that has grown too long.
 */
function chatPrompt(parts: SessionParts, history: ConversationTurn[], question: string, maxTokens: number): ChatPrompt {
  const { prefix, context, compression } = parts;
  const room =
    context.contextSize -
    (compression?.compressor.removal === "compact"
      ? compactReadingCells(compression.readCells, compression.settings.chunkTokens, prefix.length)
      : prefix.length);
  const promptAfter = (turns: ConversationTurn[]) => {
    const promptTokens = parts.format.tokens(parts.documentText, turns, question);
    const tail = promptTokens.slice(prefix.length);
    if (tail.length === 0 || promptTokens.slice(0, prefix.length).some((token, i) => token !== prefix[i])) {
      throw new AppError("internal", "The prompt format did not keep the document as the start of the prompt.");
    }
    return { promptTokens, tail };
  };
  // Counting the question alone tokenizes the document again: done only when a reservoir or a prompt
  // too long asks for it, and never when there is no earlier turn (the tail is then the question).
  let alone: number | undefined;
  const questionTokens = () => (alone ??= promptAfter([]).tail.length);
  const mayDrop = compression?.reading === "reservoir";
  for (let dropped = 0; ; dropped++) {
    const { promptTokens, tail } = promptAfter(history.slice(dropped));
    if (dropped >= history.length) alone = tail.length;
    if (tail.length + maxTokens <= room) return { promptTokens, tail, questionTokens, droppedTurns: dropped };
    if (questionTokens() + maxTokens > room) {
      throw new AppError(
        "invalid-request",
        `This question is ${questionTokens().toLocaleString("en")} tokens; with room for the answer ` +
          `(${maxTokens.toLocaleString("en")}) it needs more than the ${room.toLocaleString("en")} tokens ` +
          "kept free beside the document. Ask it in fewer words.",
      );
    }
    if (!mayDrop || dropped >= history.length) {
      throw new AppError(
        "document-too-long",
        "The chat has grown past this document's cache. Start a new chat about the document to continue.",
      );
    }
  }
}

/** Answers a question about the document after the chat so far, streaming the text as it comes. */
export async function ask(
  parts: SessionParts,
  history: ConversationTurn[],
  question: string,
  options: AskOptions = {},
): Promise<Answer> {
  const { sequence, context } = parts;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const prompt = chatPrompt(parts, history, question, maxTokens);
  const { promptTokens } = prompt;
  throwIfCancelled(options.signal);
  const started = performance.now();
  let pending: Token[];
  let prepared: Prepared | null = null;
  if (parts.compression) ({ pending } = prepared = await prepareCompressed(parts, prompt, options));
  else pending = await alignTo(parts, promptTokens);

  const model = parts.model.model;
  const generated: Token[] = [];
  const streamed = new StreamedText(() => model.detokenize(generated));
  // The sequence can end the generation itself (on an end-of-generation token it does not yield).
  let stopReason: AnswerStats["stopReason"] = "eos";
  let firstTokenAt = 0;
  let answer = "";
  const penalty = parts.format.repeatPenalty;
  const repeatPenalty = penalty ? { punishTokens: () => generated.slice(-64), penalty } : undefined;
  for await (const token of sequence.evaluate(pending, { temperature: 0, repeatPenalty })) {
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
    const stopAt = firstStopIndex(streamed.text, parts.format.stopTexts);
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
    if (generated.length >= maxTokens) {
      stopReason = "max-tokens";
      break;
    }
  }
  const finished = performance.now();
  firstTokenAt ||= finished;
  parts.compression?.compressor.noteEvaluated(sequence.nextTokenIndex);
  const cacheCells = cacheCellsOf(parts);
  return {
    text: answer,
    stats: {
      promptTokens: promptTokens.length,
      documentTokens: parts.prefix.length,
      generatedTokens: generated.length,
      cacheCells,
      allocatedCells: context.contextSize,
      kvBytes: cacheCells * parts.model.info.kvBytesPerToken,
      prefillMs: firstTokenAt - started,
      decodeMs: finished - firstTokenAt,
      stopReason,
      ...(prepared && parts.compression
        ? { compression: compressionReport(parts, prepared.tally, prepared.history) }
        : {}),
    },
  };
}

/**
 * The next-token distribution after the document, the chat and the question (nothing generated).
 * Restored and original sessions must agree on it exactly.
 */
export async function nextTokenProbabilities(
  parts: SessionParts,
  history: ConversationTurn[],
  question: string,
): Promise<Map<Token, number>> {
  const { sequence } = parts;
  const prompt = chatPrompt(parts, history, question, 0);
  const pending = parts.compression
    ? (await prepareCompressed(parts, prompt, {})).pending
    : await alignTo(parts, prompt.promptTokens);
  const before = pending.slice(0, -1);
  if (before.length) await sequence.evaluateWithoutGeneratingNewTokens(before);
  const [result] = (
    await sequence.controlledEvaluate([[pending.at(-1)!, { generateNext: { probabilities: true } }]])
  ).slice(-1);
  parts.compression?.compressor.noteEvaluated(sequence.nextTokenIndex);
  const probabilities = result?.next?.probabilities;
  if (!probabilities) throw new Error("llama.cpp returned no probabilities");
  return probabilities;
}
