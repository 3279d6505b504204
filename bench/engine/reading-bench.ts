import type { HeadProfile } from "../../src-main/compresskv";
import {
  type CompressionSettings,
  DEFAULT_COMPRESSION,
  type ReadingMode,
  withReadingMode,
} from "../../src-main/engine/compression/compression-settings";
import { DocumentSession } from "../../src-main/engine/document-session";
import type { LoadedModel } from "../../src-main/engine/loaded-model";
import { documentPrefix, promptFormatFor } from "../../src-main/engine/prompt-format";

/** How the document is held: the full cache, or compressed and read in one of the reading modes. */
export type BenchedMode = "full" | ReadingMode;

export const BENCHED_MODES: readonly BenchedMode[] = ["full", "question-aware", "question-agnostic", "reservoir"];

export interface ReadingBenchOptions {
  /** Document lengths, in the model's tokens. */
  lengths: number[];
  budget: number;
  /** R as a multiple of the budget. */
  reservoirMultiple: number;
  chunkTokens: number;
  method: CompressionSettings["method"];
  profile?: HeadProfile;
  /** Two questions, asked one after the other about the same document. */
  questions: [string, string];
  /** Tokens generated per answer (the time to the first one is what is measured). */
  answerTokens: number;
  onPhase?(length: number, phase: string): void;
}

/** One mode at one length. Times in milliseconds; null where the mode cannot run (the reason says why). */
export interface ModeMeasurement {
  mode: BenchedMode;
  /** Opening the session: reading (and compressing, and packing) the document, before any question. */
  openMs: number | null;
  /** Question 1 asked on an unread document: opening plus the time to its first answer token. */
  firstQuestionMs: number | null;
  /** Question 2, after question 1: time to its first answer token. */
  secondQuestionMs: number | null;
  /** Cells the reading ended with (R for the reservoir). */
  readCells: number | null;
  /** The most cells held at once. */
  peakCells: number | null;
  answers: [string, string] | null;
  skipped?: string;
}

export interface ReadingLengthMeasurement {
  tokens: number;
  modes: ModeMeasurement[];
}

/** The first `length` tokens of `text` after the prompt's own start, as text (tokenized again by the session). */
export function documentOfLength(loaded: LoadedModel, text: string, length: number): string {
  const format = promptFormatFor(loaded);
  const overhead = documentPrefix(format, "x").length - 1;
  const tokens = loaded.model.tokenize(text);
  if (tokens.length < length - overhead)
    throw new Error(`the source text has ${tokens.length} tokens, ${length} asked`);
  return loaded.model.detokenize(tokens.slice(0, Math.max(1, length - overhead)));
}

/** Opens the session, asks both questions and times each step; a refusal (say, past the trained context) is reported. */
async function measureMode(
  loaded: LoadedModel,
  text: string,
  mode: BenchedMode,
  options: ReadingBenchOptions,
): Promise<ModeMeasurement> {
  const compression =
    mode === "full"
      ? undefined
      : withReadingMode(
          {
            ...DEFAULT_COMPRESSION,
            method: options.method,
            budget: options.budget,
            chunkTokens: options.chunkTokens,
            reservoirMultiple: options.reservoirMultiple,
          },
          mode,
        );
  const started = performance.now();
  let session: DocumentSession;
  try {
    session = await DocumentSession.open(loaded, text, {
      compression,
      profile: options.profile,
      answerReserve: options.answerTokens + 128,
    });
  } catch (error) {
    return {
      mode,
      openMs: null,
      firstQuestionMs: null,
      secondQuestionMs: null,
      readCells: null,
      peakCells: null,
      answers: null,
      skipped: (error as Error).message,
    };
  }
  try {
    const openMs = performance.now() - started;
    const readCells = session.cacheCells;
    const first = await session.ask([], options.questions[0], { maxTokens: options.answerTokens });
    const second = await session.ask([], options.questions[1], { maxTokens: options.answerTokens });
    return {
      mode,
      openMs,
      firstQuestionMs: openMs + first.stats.prefillMs,
      secondQuestionMs: second.stats.prefillMs,
      readCells,
      peakCells: session.peakCells,
      answers: [first.text, second.text],
    };
  } finally {
    await session.dispose();
  }
}

/**
 * Time to the first answer token of question 1 and of question 2 in each mode, at each document length,
 * one mode after the other in one process on one model.
 */
export async function runReadingBench(
  loaded: LoadedModel,
  sourceText: string,
  options: ReadingBenchOptions,
): Promise<ReadingLengthMeasurement[]> {
  const measurements: ReadingLengthMeasurement[] = [];
  for (const length of options.lengths) {
    const text = documentOfLength(loaded, sourceText, length);
    const modes: ModeMeasurement[] = [];
    for (const mode of BENCHED_MODES) {
      options.onPhase?.(length, mode);
      modes.push(await measureMode(loaded, text, mode, options));
    }
    const tokens = documentPrefix(promptFormatFor(loaded), text).length;
    measurements.push({ tokens, modes });
  }
  return measurements;
}
