import type { Token } from "node-llama-cpp";
import { historyShareCells } from "../../compresskv";
import { PassTally, type SessionParts, throwIfCancelled } from "./session-parts";

/** What became of the chat before the question, in a reservoir's answer. */
export interface HistoryHandling {
  /** Tokens of the earlier turns the prompt holds (after any dropped). */
  tokens: number;
  /** Cells the history may hold beside the budget (its share); past it, it is compressed. */
  shareCells: number;
  /** kept: whole, beside the budget; compressed: scored with the document, within the budget. */
  handling: "kept" | "compressed";
  /** Oldest turns left out of the prompt because the chat no longer fitted beside the reservoir. */
  droppedTurns: number;
}

export interface ReservoirPrepared {
  pending: Token[];
  tally: PassTally;
  history: HistoryHandling;
}

/**
 * Puts the chat tail on top of the reservoir and chooses the answer's cells: the tail is evaluated with
 * its question as the observation window, the reservoir's cells are scored by the session's method and
 * the budget of them kept for the answer; every other cell is masked in every layer (or per layer, in
 * the exact plan), not removed, so the next question finds the whole reservoir again. A history within
 * its share stays whole beside the budget; past it, its tokens are scored with the document's.
 */
export async function prepareFromReservoir(
  parts: SessionParts,
  tail: Token[],
  questionTokens: number,
  droppedTurns: number,
  signal: AbortSignal | undefined,
): Promise<ReservoirPrepared> {
  const compression = parts.compression!;
  const { compressor, settings } = compression;
  await compressor.eraseFrom(compression.documentEnd!);
  compressor.reveal();
  throwIfCancelled(signal);
  const historyTokens = Math.max(0, tail.length - questionTokens);
  const shareCells = historyShareCells(settings.budget);
  const handling = historyTokens <= shareCells ? "kept" : "compressed";
  const window = handling === "kept" ? tail.length : Math.min(questionTokens, tail.length);
  const captures = await compressor.evaluate(tail, parts.prefix.length, window);
  throwIfCancelled(signal);
  const tally = new PassTally();
  tally.add(await compressor.focus(captures, window, settings.budget + window, window));
  // The last token is evaluated again, under the masks, to sample the first answer token.
  await compressor.eraseFrom(parts.sequence.nextTokenIndex - 1);
  return {
    pending: tail.slice(-1),
    tally,
    history: { tokens: historyTokens, shareCells, handling, droppedTurns },
  };
}
