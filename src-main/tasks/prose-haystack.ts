import { createPrng } from "../compresskv/prng";
import type { Span } from "./haystack-task";

/**
 * Real prose as a haystack: a passage of a long text (a manual read through the app's PDF reader), cut at
 * sentence ends, with sentences inserted at chosen depths. Pure: the same text, length and seed give the
 * same passage.
 */

const PASSAGE_STREAM = 0x5eed_f00d;

/** Whitespace (line breaks, PDF column gaps) collapsed to single spaces. */
export function normalizeProse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Starts of sentences: 0 and every position after ". ", "? " or "! " followed by a capital letter. */
export function sentenceStarts(text: string): number[] {
  const starts = [0];
  const pattern = /[.?!] (?=[A-Z])/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) starts.push(match.index + 2);
  return starts;
}

/**
 * About `length` characters of `source` (normalised), from a seeded sentence start, ending at the last
 * sentence end that fits. A source shorter than that is read round again from its start.
 */
export function prosePassage(source: string, length: number, seed: number): string {
  const text = normalizeProse(source);
  if (text.length === 0) throw new Error("prose haystack: the source text is empty");
  const starts = sentenceStarts(text);
  // A stream of its own: the generators draw their needles from `seed` itself.
  const random = createPrng(seed ^ PASSAGE_STREAM);
  const from = starts[Math.floor(random() * starts.length)];
  let passage = text.slice(from);
  while (passage.length < length) passage += ` ${text}`;
  passage = passage.slice(0, length);
  const end = Math.max(passage.lastIndexOf(". "), passage.lastIndexOf("? "), passage.lastIndexOf("! "));
  return end > length / 2 ? passage.slice(0, end + 1) : passage.trimEnd();
}

export interface Insertion {
  text: string;
  /** 0 (before the first sentence) to 1 (after the last). */
  depth: number;
}

/**
 * Puts each insertion at the sentence start nearest its depth in `text` (after the end for depth 1),
 * keeping insertions in depth order. Returns the text and, in the insertions' given order, their spans.
 */
export function insertSentences(text: string, insertions: readonly Insertion[]): { text: string; spans: Span[] } {
  const boundaries = [...sentenceStarts(text), text.length];
  const at = insertions.map((insertion) => {
    const target = Math.min(1, Math.max(0, insertion.depth)) * text.length;
    return boundaries.reduce((best, b) => (Math.abs(b - target) < Math.abs(best - target) ? b : best), 0);
  });
  const order = insertions.map((_, i) => i).sort((a, b) => at[a] - at[b] || insertions[a].depth - insertions[b].depth);
  const spans: Span[] = new Array(insertions.length);
  let result = "";
  let consumed = 0;
  for (const index of order) {
    result += text.slice(consumed, at[index]);
    consumed = at[index];
    if (result.length > 0 && !result.endsWith(" ")) result += " ";
    spans[index] = { start: result.length, end: result.length + insertions[index].text.length };
    result += `${insertions[index].text} `;
  }
  result += text.slice(consumed);
  return { text: result.trimEnd(), spans };
}
