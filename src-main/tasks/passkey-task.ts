import { createPrng } from "../compresskv/prng";
import type { HaystackTask } from "./haystack-task";
import { insertSentences } from "./prose-haystack";
import { randomDigits } from "./seeded-choice";

/**
 * Passkey retrieval (Mohtashami and Jaggi, 2023): an instruction, then the same five filler sentences
 * over and over, with "The pass key is 71432. Remember it. 71432 is the pass key." at a chosen depth.
 * The question asks for the key (five digits, drawn by the seed). The filler carries no information,
 * so a method that drops the key's sentence cannot answer, whatever the model.
 */
export interface PasskeyOptions {
  seed: number;
  /** Target document length in characters. */
  length: number;
  /** Relative depth of the key's sentence, 0 (start) to 1 (end). */
  depth: number;
}

export const PASSKEY_INSTRUCTION =
  "There is an important piece of information hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about it.";

export const PASSKEY_FILLER =
  "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";

export function makePasskeyTask(options: PasskeyOptions): HaystackTask {
  const random = createPrng(options.seed);
  const key = randomDigits(random, 5);
  const needle = `The pass key is ${key}. Remember it. ${key} is the pass key.`;
  const room = options.length - PASSKEY_INSTRUCTION.length - needle.length - 2;
  const repeats = Math.max(1, Math.floor((room + 1) / (PASSKEY_FILLER.length + 1)));
  const filler = Array.from({ length: repeats }, () => PASSKEY_FILLER).join(" ");
  const { text, spans } = insertSentences(filler, [{ text: needle, depth: options.depth }]);
  const context = `${PASSKEY_INSTRUCTION} ${text}`;
  const offset = PASSKEY_INSTRUCTION.length + 1;
  const keyStart = offset + spans[0].start + "The pass key is ".length;
  return {
    context,
    question: "What is the pass key? Reply with the number only.",
    answers: [key],
    answerSpans: [{ start: keyStart, end: keyStart + key.length }],
    depth: (offset + spans[0].start) / context.length,
  };
}
