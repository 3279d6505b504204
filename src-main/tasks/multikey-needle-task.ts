import { createPrng } from "../compresskv/prng";
import type { HaystackTask } from "./haystack-task";
import { insertSentences, prosePassage } from "./prose-haystack";
import { distinct, pickOne, randomDigits } from "./seeded-choice";

/**
 * Multi-key needles in real prose (RULER's niah_multikey): several needles of one form, "One of the
 * special magic numbers for <key> is: <7 digits>.", with different keys (word pairs such as
 * "silent-harbor") at different depths; the question names one key. The asked needle sits at the
 * chosen depth, the others at seeded random depths. Answer: the asked number (ROUGE-1 recall).
 */
export interface MultikeyNeedleOptions {
  seed: number;
  /** Target document length in characters (needles included). */
  length: number;
  /** Relative depth of the asked needle, 0 (start) to 1 (end). */
  depth: number;
  haystack: string;
  /** Needles in all, the asked one included (default 4, as RULER's niah_multikey_1). */
  needles?: number;
}

export const MULTIKEY_ADJECTIVES = [
  "silent",
  "amber",
  "hollow",
  "crimson",
  "frozen",
  "gentle",
  "rapid",
  "velvet",
  "hidden",
  "brave",
  "lucky",
  "rusty",
] as const;

export const MULTIKEY_NOUNS = [
  "harbor",
  "falcon",
  "lantern",
  "meadow",
  "anchor",
  "orchid",
  "canyon",
  "pepper",
  "violin",
  "glacier",
  "compass",
  "thimble",
] as const;

export const DEFAULT_MULTIKEY_NEEDLES = 4;

export function makeMultikeyNeedleTask(options: MultikeyNeedleOptions): HaystackTask {
  const random = createPrng(options.seed);
  const count = Math.max(2, options.needles ?? DEFAULT_MULTIKEY_NEEDLES);
  const keys = distinct(count, () => `${pickOne(random, MULTIKEY_ADJECTIVES)}-${pickOne(random, MULTIKEY_NOUNS)}`);
  const values = distinct(count, () => randomDigits(random, 7));
  const needles = keys.map((key, i) => `One of the special magic numbers for ${key} is: ${values[i]}.`);
  // The first key is the asked one; the others are look-alikes at random depths.
  const depths = needles.map((_, i) => (i === 0 ? options.depth : random()));
  const room = options.length - needles.reduce((sum, needle) => sum + needle.length + 1, 0);
  const passage = prosePassage(options.haystack, room, options.seed);
  const { text, spans } = insertSentences(
    passage,
    needles.map((needle, i) => ({ text: needle, depth: depths[i] })),
  );
  const valueStart = spans[0].end - 1 - values[0].length;
  return {
    context: text,
    question: `What is the special magic number for ${keys[0]} mentioned in the text? Reply with the number only.`,
    answers: [values[0]],
    answerSpans: [{ start: valueStart, end: valueStart + values[0].length }],
    depth: spans[0].start / text.length,
  };
}
