import { createPrng } from "../compresskv/prng";
import type { HaystackTask } from "./haystack-task";
import { insertSentences, prosePassage } from "./prose-haystack";
import { distinct, randomDigits } from "./seeded-choice";

/**
 * Variable tracking in real prose (RULER's multi-hop task): a chain "VAR QXJZK = 48213." then
 * "VAR MBWOT = QXJZK." and so on (`hops` assignments after the first), spread in order from the chosen
 * depth to the end of the text, with one distractor chain of another value. The question gives the
 * value and asks for every variable that holds it; the answer is the chain's names, scored by ROUGE-1
 * recall (the share of the names found, as RULER's string_match_all).
 */
export interface VariableTrackingOptions {
  seed: number;
  /** Target document length in characters (statements included). */
  length: number;
  /** Relative depth of the chain's first statement, 0 to 1; the rest follow evenly towards the end. */
  depth: number;
  haystack: string;
  /** Assignments after the first (default 4, as RULER). */
  hops?: number;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const DEFAULT_HOPS = 4;

export function makeVariableTrackingTask(options: VariableTrackingOptions): HaystackTask {
  const random = createPrng(options.seed);
  const hops = Math.max(1, options.hops ?? DEFAULT_HOPS);
  const names = distinct(2 * (hops + 1), () =>
    Array.from({ length: 5 }, () => LETTERS[Math.floor(random() * LETTERS.length)]).join(""),
  );
  const [value, distractorValue] = distinct(2, () => randomDigits(random, 5));
  const chain = (chainNames: string[], first: string) =>
    chainNames.map((name, i) => `VAR ${name} = ${i === 0 ? first : chainNames[i - 1]}.`);
  const asked = names.slice(0, hops + 1);
  const statements = [...chain(asked, value), ...chain(names.slice(hops + 1), distractorValue)];
  const step = (1 - options.depth) / (hops + 1);
  const distractorStart = random();
  const depths = statements.map((_, i) =>
    i <= hops ? options.depth + i * step : distractorStart + ((i - hops - 1) * (1 - distractorStart)) / (hops + 1),
  );
  const room = options.length - statements.reduce((sum, statement) => sum + statement.length + 1, 0);
  const passage = prosePassage(options.haystack, room, options.seed);
  const { text, spans } = insertSentences(
    passage,
    statements.map((statement, i) => ({ text: statement, depth: depths[i] })),
  );
  return {
    context: text,
    question: `Find all variables that are assigned the value ${value} in the text, directly or through other variables. Reply with the variable names only, separated by spaces.`,
    answers: [asked.join(" ")],
    answerSpans: asked.map((name, i) => ({ start: spans[i].start + 4, end: spans[i].start + 4 + name.length })),
    depth: spans[0].start / text.length,
  };
}
