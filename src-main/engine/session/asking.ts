import type { Token } from "node-llama-cpp";
import { AppError } from "../../errors/app-error";
import type { ConversationTurn } from "../prompt-format";
import { StreamedText } from "../streamed-text";
import { readWithQuestion } from "./reading";
import { type AnswerStats, compressionReport } from "./reports";
import {
  cacheCellsOf,
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

/** Puts the chat tail after the compressed document; returns the token to generate from and the request's passes. */
async function prepareCompressed(
  parts: SessionParts,
  tail: Token[],
  options: AskOptions,
): Promise<{ pending: Token[]; tally: PassTally }> {
  const compression = parts.compression!;
  const { compressor, settings } = compression;
  if (settings.questionAware) {
    const tally = await readWithQuestion(parts, tail, options);
    // The question is in the cache; evaluate its last token again to sample the first answer token.
    await compressor.eraseFrom(parts.sequence.nextTokenIndex - 1);
    return { pending: tail.slice(-1), tally };
  }
  await compressor.eraseFrom(compression.documentEnd!);
  await compressor.evaluate(tail.slice(0, -1), parts.prefix.length, 0);
  return { pending: tail.slice(-1), tally: parts.ingestTally };
}

/** Where the first stop text ends the answer; stop texts inside the answer's leading whitespace do not count. */
function stopIndex(parts: SessionParts, text: string): number {
  // A base model often starts its continuation with a line break before it answers.
  const start = text.length - text.trimStart().length;
  let first = -1;
  for (const stop of parts.format.stopTexts) {
    const at = text.indexOf(stop, start);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/** Answers a question about the document after the chat so far, streaming the text as it comes. */
export async function ask(
  parts: SessionParts,
  history: ConversationTurn[],
  question: string,
  options: AskOptions = {},
): Promise<Answer> {
  const { prefix, sequence, context } = parts;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const promptTokens = parts.format.tokens(parts.documentText, history, question);
  const tail = promptTokens.slice(prefix.length);
  if (tail.length === 0 || promptTokens.slice(0, prefix.length).some((token, i) => token !== prefix[i])) {
    throw new AppError("internal", "The prompt format did not keep the document as the start of the prompt.");
  }
  const compactBudget = parts.compression?.compressor.removal === "compact" ? parts.compression.settings : null;
  const room = context.contextSize - (compactBudget ? compactBudget.budget + compactBudget.chunkTokens : prefix.length);
  if (tail.length + maxTokens > room) {
    const asked = parts.format.tokens(parts.documentText, [], question).length - prefix.length;
    if (asked + maxTokens > room) {
      throw new AppError(
        "invalid-request",
        `This question is ${asked.toLocaleString("en")} tokens; with room for the answer ` +
          `(${maxTokens.toLocaleString("en")}) it needs more than the ${room.toLocaleString("en")} tokens ` +
          "kept free beside the document. Ask it in fewer words.",
      );
    }
    throw new AppError(
      "document-too-long",
      "The chat has grown past this document's cache. Start a new chat about the document to continue.",
    );
  }
  throwIfCancelled(options.signal);
  const started = performance.now();
  let pending: Token[];
  let tally: PassTally | null = null;
  if (parts.compression) ({ pending, tally } = await prepareCompressed(parts, tail, options));
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
    const stopAt = stopIndex(parts, streamed.text);
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
      documentTokens: prefix.length,
      generatedTokens: generated.length,
      cacheCells,
      allocatedCells: context.contextSize,
      kvBytes: cacheCells * parts.model.info.kvBytesPerToken,
      prefillMs: firstTokenAt - started,
      decodeMs: finished - firstTokenAt,
      stopReason,
      ...(tally && parts.compression ? { compression: compressionReport(parts, tally) } : {}),
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
  const { prefix, sequence } = parts;
  const promptTokens = parts.format.tokens(parts.documentText, history, question);
  const tail = promptTokens.slice(prefix.length);
  const pending = parts.compression
    ? (await prepareCompressed(parts, tail, {})).pending
    : await alignTo(parts, promptTokens);
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
