import { createPrng } from "../compresskv/prng";
import type { HaystackTask } from "./haystack-task";
import { insertSentences, prosePassage } from "./prose-haystack";
import { pickOne } from "./seeded-choice";

/**
 * Single needle in real prose, the style of the needle-in-a-haystack test the paper uses: one sentence
 * "The best thing to do in <city> is <activity>." at a chosen depth of a passage of real text, and the
 * question "What is the best thing to do in <city>?". The answer is the activity, scored by ROUGE-1
 * recall. City and activity are drawn from fixed lists by the seed; the passage too.
 */
export interface NeedleOptions {
  seed: number;
  /** Target document length in characters (needle included). */
  length: number;
  /** Relative depth of the needle, 0 (start) to 1 (end). */
  depth: number;
  /** The prose the passage is cut from. */
  haystack: string;
}

export const NEEDLE_CITIES = [
  "Lisbon",
  "Oslo",
  "Nairobi",
  "Kyoto",
  "Valparaiso",
  "Tallinn",
  "Marrakesh",
  "Hobart",
  "Quebec",
  "Cusco",
  "Tbilisi",
  "Bergen",
  "Hanoi",
  "Zanzibar",
  "Ghent",
  "Salzburg",
] as const;

export const NEEDLE_ACTIVITIES = [
  "eat a sandwich and sit in the park on a sunny day",
  "ride the old yellow tram up the hill at dawn",
  "swim in the cold lake before breakfast",
  "buy warm bread from the bakery by the harbour",
  "walk along the river wall and count the boats",
  "listen to the street musicians in the main square",
  "climb the clock tower and watch the sunset",
  "drink mint tea in a quiet courtyard garden",
  "rent a bicycle and follow the coast road north",
  "visit the night market and try the grilled fish",
  "read a book on the steps of the library",
  "take the ferry to the island and back",
] as const;

export function makeNeedleTask(options: NeedleOptions): HaystackTask {
  const random = createPrng(options.seed);
  const city = pickOne(random, NEEDLE_CITIES);
  const activity = pickOne(random, NEEDLE_ACTIVITIES);
  const needle = `The best thing to do in ${city} is to ${activity}.`;
  const passage = prosePassage(options.haystack, options.length - needle.length - 1, options.seed);
  const { text, spans } = insertSentences(passage, [{ text: needle, depth: options.depth }]);
  const answerStart = spans[0].start + needle.indexOf(activity);
  return {
    context: text,
    question: `What is the best thing to do in ${city}? Answer in one sentence.`,
    answers: [activity],
    answerSpans: [{ start: answerStart, end: answerStart + activity.length }],
    depth: spans[0].start / text.length,
  };
}
