import type { DocumentText, TokenMap } from "../../src-main/api/contract";
import { pageAt } from "./document-positions";
import { positionCounts } from "./flat-ranges";

/** A page an answer cites, with the retained text that earned it. */
export interface Citation {
  page: number;
  /** Character range [start, end) of the cited text in the document. */
  start: number;
  end: number;
  /** How many of the answer's distinctive words the retained text holds (0: cited for density alone). */
  matchedTerms: number;
  /** Retention density of the page relative to the whole document (1 = average). */
  weight: number;
}

const MAX_CITATIONS = 3;

/** Words of an answer worth looking for in the document: numbers and words of 4+ letters. */
export function answerTerms(answer: string): string[] {
  const terms = answer.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(terms.filter((term) => /\p{N}/u.test(term) || term.length >= 4))];
}

interface RetainedRun {
  start: number;
  end: number;
  page: number;
  /** Sum over its positions of the share of layers that keep the position. */
  mass: number;
}

function nextOffset(map: TokenMap, position: number, textLength: number): number {
  for (let next = position + 1; next < map.offsets.length; next++) if (map.offsets[next] >= 0) return map.offsets[next];
  return textLength;
}

/** Maximal runs of document positions that at least one layer keeps, in document characters, split at pages. */
function retainedRuns(keptBy: Uint16Array, layers: number, map: TokenMap, text: DocumentText): RetainedRun[] {
  const runs: RetainedRun[] = [];
  let current: RetainedRun | null = null;
  for (let position = 0; position < keptBy.length; position++) {
    const offset = map.offsets[position];
    const page = keptBy[position] > 0 && offset >= 0 ? pageAt(text.pages, offset) : null;
    if (page === null || (current && current.page !== page)) {
      if (current) runs.push(current);
      current = null;
    }
    if (page === null) continue;
    current ??= { start: offset, end: offset, page, mass: 0 };
    current.mass += keptBy[position] / layers;
    current.end = nextOffset(map, position, text.text.length);
  }
  if (current) runs.push(current);
  return runs;
}

function wordIndex(haystack: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").exec(haystack);
  return match ? match.index : -1;
}

/** Terms that tell pages apart: found on at most a third of the pages (at least one). */
function distinctiveTerms(terms: string[], text: DocumentText): string[] {
  const limit = Math.max(1, Math.floor(text.pages.length / 3));
  const lower = text.text.toLowerCase();
  return terms.filter((term) => {
    const pages = text.pages.filter((page) => wordIndex(lower.slice(page.start, page.end), term) >= 0).length;
    return pages > 0 && pages <= limit;
  });
}

/**
 * The pages an answer most likely drew on, from what the compressed cache kept. The report says
 * which positions each layer kept, not how much attention each got, so two signals stand in:
 * 1. retained text holding the answer's distinctive numbers or words (the model copied from it);
 * 2. pages where the layers kept more of the text than on average (the question's attention chose them).
 * Pages of the first kind come first, most matched words first; then the densest pages above
 * average, up to three in all. A cache that keeps everything is cited by the first signal only.
 *
 * `keptByLayer`: each layer's visible token positions as flattened [start, end) pairs.
 */
export function citationsFor(keptByLayer: number[][], map: TokenMap, text: DocumentText, answer: string): Citation[] {
  const layers = Math.max(1, keptByLayer.length);
  const keptBy = positionCounts(keptByLayer, map.offsets.length);
  const runs = retainedRuns(keptBy, layers, map, text);

  const pageMass = new Map<number, number>();
  const pageTokens = new Map<number, number>();
  let totalMass = 0;
  let totalTokens = 0;
  for (let position = 0; position < map.offsets.length; position++) {
    const page = map.offsets[position] >= 0 ? pageAt(text.pages, map.offsets[position]) : null;
    if (page === null) continue;
    const mass = keptBy[position] / layers;
    pageMass.set(page, (pageMass.get(page) ?? 0) + mass);
    pageTokens.set(page, (pageTokens.get(page) ?? 0) + 1);
    totalMass += mass;
    totalTokens++;
  }
  const averageDensity = totalTokens > 0 ? totalMass / totalTokens : 0;
  const weightOf = (page: number) =>
    averageDensity > 0 ? (pageMass.get(page) ?? 0) / (pageTokens.get(page) ?? 1) / averageDensity : 0;

  const terms = distinctiveTerms(answerTerms(answer), text);
  const lower = text.text.toLowerCase();
  const quoted = new Map<number, Citation>();
  for (const run of runs) {
    const runText = lower.slice(run.start, run.end);
    const found = terms.map((term) => ({ term, at: wordIndex(runText, term) })).filter((f) => f.at >= 0);
    if (found.length === 0) continue;
    const previous = quoted.get(run.page);
    if (previous && previous.matchedTerms >= found.length) continue;
    const first = found.reduce((a, b) => (b.at < a.at ? b : a));
    const start = run.start + first.at;
    quoted.set(run.page, {
      page: run.page,
      start,
      end: start + first.term.length,
      matchedTerms: found.length,
      weight: weightOf(run.page),
    });
  }

  const heaviestRun = new Map<number, RetainedRun>();
  for (const run of runs) {
    const held = heaviestRun.get(run.page);
    if (!held || run.mass > held.mass) heaviestRun.set(run.page, run);
  }
  const dense: Citation[] = [];
  for (const [page, best] of heaviestRun) {
    const weight = weightOf(page);
    if (quoted.has(page) || weight <= 1 + 1e-9) continue;
    dense.push({ page, start: best.start, end: best.end, matchedTerms: 0, weight });
  }

  const byStrength = (a: Citation, b: Citation) =>
    b.matchedTerms - a.matchedTerms || b.weight - a.weight || a.page - b.page;
  return [...[...quoted.values()].sort(byStrength), ...dense.sort(byStrength)].slice(0, MAX_CITATIONS);
}
