import { createPrng } from "../compresskv/prng";

/**
 * The code-lookup task: filler text holding many facts of one form ("The code of Bako is 48213."),
 * ending by asking for one of them. Facts look alike; only the asked name says which one matters.
 * Pure and seeded: the same options give the same prompt on every platform.
 */

/** A character range [start, end) of the prompt. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface CodeFact {
  name: string;
  value: string;
  /** The whole fact sentence. */
  sentence: TextSpan;
  /** The value's digits. */
  valueSpan: TextSpan;
}

export type QueryStyle = "repeat" | "question";

export interface CodeLookupOptions {
  seed: number;
  /** Target prompt length in characters (ASCII, so bytes); the prompt ends within one sentence of it. */
  length: number;
  /** Number of facts, at least 8 (default: 8, plus one per 512 characters beyond 2048). */
  factCount?: number;
  /** Relative depth of the asked fact in the text, 0 (start) to 1 (end); random when absent. */
  depth?: number;
  /** "repeat" ends with the fact's opening; "question" asks first, then opens the answer. Random when absent. */
  queryStyle?: QueryStyle;
}

export interface CodeLookupPrompt {
  prompt: string;
  /** The asked value's digits: the expected continuation of the prompt. */
  answer: string;
  /** Where the asked value sits in the prompt. */
  answerSpan: TextSpan;
  askedFact: number;
  facts: CodeFact[];
  /** Relative depth of the asked fact's sentence start in the text before the query. */
  depth: number;
  queryStyle: QueryStyle;
}

export const MIN_FACTS = 8;

/** Characters before a value that tell it apart: a value's context must be unique in its prompt. */
export const VALUE_CONTEXT_LENGTH = 9;

const OPENINGS = ["The code of", "The secret code of", "The access code for", "The door code of", "The pass code for"];

const NOUNS = [
  "river",
  "garden",
  "market",
  "window",
  "teacher",
  "village",
  "letter",
  "forest",
  "kitchen",
  "bridge",
  "harbor",
  "mountain",
  "painter",
  "library",
  "engine",
  "meadow",
  "lantern",
  "journey",
  "castle",
  "orchard",
];
const ADJECTIVES = [
  "quiet",
  "bright",
  "old",
  "narrow",
  "gentle",
  "busy",
  "distant",
  "golden",
  "small",
  "heavy",
  "silver",
  "calm",
  "crowded",
  "simple",
  "warm",
  "ancient",
  "pale",
  "steady",
  "hidden",
  "open",
];
const VERBS = ["crossed", "watched", "followed", "painted", "opened", "passed", "visited", "carried", "found", "left"];
const PLACES = ["near", "behind", "across", "beside", "under", "beyond", "along", "around"];
const CONSONANTS = "bdfgklmnprstvz";
const VOWELS = "aeiou";

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function capitalize(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function fillerSentence(random: Random): string {
  const noun = pick(random, NOUNS);
  const other = pick(random, NOUNS);
  const adjective = pick(random, ADJECTIVES);
  switch (Math.floor(random() * 4)) {
    case 0:
      return `The ${adjective} ${noun} ${pick(random, VERBS)} the ${other}.`;
    case 1:
      return `${capitalize(pick(random, PLACES))} the ${noun}, the ${other} is ${adjective}.`;
    case 2:
      return `A ${noun} ${pick(random, VERBS)} the ${adjective} ${other} ${pick(random, PLACES)} the ${pick(random, NOUNS)}.`;
    default:
      return `The ${noun} is ${adjective} and the ${other} is ${pick(random, ADJECTIVES)}.`;
  }
}

function makeName(random: Random): string {
  const syllables = 2 + Math.floor(random() * 2);
  let name = "";
  for (let i = 0; i < syllables; i++) name += pick(random, [...CONSONANTS]) + pick(random, [...VOWELS]);
  if (random() < 0.5) name += pick(random, [...CONSONANTS]);
  return capitalize(name);
}

function makeValue(random: Random): string {
  const digits = 4 + Math.floor(random() * 3);
  let value = String(1 + Math.floor(random() * 9));
  while (value.length < digits) value += String(Math.floor(random() * 10));
  return value;
}

interface PlannedFact {
  name: string;
  value: string;
  opening: string;
}

/** Facts whose names, values and value contexts (the characters right before the value) are all distinct. */
function planFacts(random: Random, count: number): PlannedFact[] {
  const facts: PlannedFact[] = [];
  const contexts = new Set<string>();
  const values = new Set<string>();
  while (facts.length < count) {
    const name = makeName(random);
    const value = makeValue(random);
    const opening = pick(random, OPENINGS);
    const context = ` ${opening} ${name} is `.slice(-VALUE_CONTEXT_LENGTH);
    if (contexts.has(context) || values.has(value)) continue;
    contexts.add(context);
    values.add(value);
    facts.push({ name, value, opening });
  }
  return facts;
}

function factSentence(fact: PlannedFact): string {
  return `${fact.opening} ${fact.name} is ${fact.value}.`;
}

function queryText(fact: PlannedFact, style: QueryStyle): string {
  const opening = `${fact.opening} ${fact.name} is `;
  if (style === "repeat") return opening;
  return `What is ${fact.opening.replace(/^The /, "the ")} ${fact.name}? ${opening}`;
}

export function defaultFactCount(length: number): number {
  return MIN_FACTS + Math.max(0, Math.floor((length - 2048) / 512));
}

/** Builds one prompt of the code-lookup task. */
export function makeCodeLookupPrompt(options: CodeLookupOptions): CodeLookupPrompt {
  const random = createPrng(options.seed);
  const factCount = Math.max(MIN_FACTS, options.factCount ?? defaultFactCount(options.length));
  const facts = planFacts(random, factCount);
  const askedFact = Math.floor(random() * factCount);
  const queryStyle = options.queryStyle ?? (random() < 0.5 ? "repeat" : "question");
  const query = queryText(facts[askedFact], queryStyle);

  const factLength = facts.reduce((sum, fact) => sum + factSentence(fact).length + 1, 0);
  const fillerBudget = options.length - query.length - factLength;
  if (fillerBudget < 0) throw new Error(`code-lookup: ${options.length} characters cannot hold ${factCount} facts`);
  const filler: string[] = [];
  for (let used = 0; ; ) {
    const sentence = fillerSentence(random);
    if (used + sentence.length + 1 > fillerBudget) break;
    filler.push(sentence);
    used += sentence.length + 1;
  }

  // Each fact goes before filler sentence `slot` (slot = filler.length: after all filler).
  const askedDepth = options.depth ?? random();
  const slots = facts.map((_, i) =>
    i === askedFact ? Math.round(askedDepth * filler.length) : Math.floor(random() * (filler.length + 1)),
  );
  const order = facts.map((_, i) => i).sort((a, b) => slots[a] - slots[b] || a - b);

  const sentences: { text: string; fact?: number }[] = [];
  let next = 0;
  for (let slot = 0; slot <= filler.length; slot++) {
    while (next < order.length && slots[order[next]] === slot) {
      const fact = order[next++];
      sentences.push({ text: factSentence(facts[fact]), fact });
    }
    if (slot < filler.length) sentences.push({ text: filler[slot] });
  }

  let prompt = "";
  const placed: CodeFact[] = new Array(factCount);
  for (const sentence of sentences) {
    const start = prompt.length;
    prompt += sentence.text + " ";
    if (sentence.fact === undefined) continue;
    const fact = facts[sentence.fact];
    const valueStart = start + sentence.text.length - 1 - fact.value.length;
    placed[sentence.fact] = {
      name: fact.name,
      value: fact.value,
      sentence: { start, end: start + sentence.text.length },
      valueSpan: { start: valueStart, end: valueStart + fact.value.length },
    };
  }
  const textLength = prompt.length;
  prompt += query;

  return {
    prompt,
    answer: facts[askedFact].value,
    answerSpan: placed[askedFact].valueSpan,
    askedFact,
    facts: placed,
    depth: placed[askedFact].sentence.start / textLength,
    queryStyle,
  };
}
