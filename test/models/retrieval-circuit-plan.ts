import type { LlamaShape } from "./llama-model";

/**
 * A llama model whose weights are written by hand: an n-gram induction circuit that answers
 * "... The code of Bako is 48213. ... The code of Bako is" with "48213", and a span head that marks
 * the whole asked value from the question, as the semantic retrieval heads of trained models do.
 *
 * Residual stream (one position): a large constant, token flags, the token's code E, the codes of
 * the 9 previous tokens P1..P9, an answer slot, a junk slot, a previous-digit flag, an in-value flag,
 * a word context and a previous word (4 codes each). Codes are 24-dimensional unit vectors, one per
 * byte, spread apart so that two different text bytes overlap by at most 0.28.
 *
 * - Layer 0, KV group 0: previous-token heads at offsets 1-4 copy E of t-k into Pk (offset 1 also
 *   copies whether t-1 is a digit). Their keys are the constant on fast-rotating RoPE pairs; each
 *   query is that constant rotated back by k steps, so the score peaks where t - s = k (amplitudes
 *   from a linear program, margin >= 28 logits).
 * - Layer 1, head 0: offset 5 copies E, P1..P4 of t-5 into P5..P9.
 * - Layer 2, heads 6 and 7 (carries): each attends to the nearest candidate at most 6 back (a position
 *   "staircase" from a second linear program, plus a penalty on non-candidates). The word carry's
 *   candidates follow a non-digit (the first token of a word or value): it copies their P5..P8 into
 *   the word context and their digit flag into the in-value flag, so every token of "48213." holds
 *   the letters of "Bako" and in-value 1. The previous-word carry's candidates follow a space: it
 *   copies their P2..P5, so "is " after "Bako" holds the letters of "Bako" as its previous word.
 * - Layers 2 and 3, one KV group each: a retrieval head (9-gram induction) whose query is
 *   E, P1..P8 (tokens t..t-8) and whose keys are P1..P9 (tokens s-1..s-9), placed on RoPE pairs
 *   that barely rotate (base 1e30, head size 256). It attends to the token that followed the same
 *   9 tokens earlier in the text and writes that token's code into the answer slot, which the
 *   output matrix reads. A slight recency tilt breaks ties between equal earlier contexts.
 * - Layer 3, head 0 (span retrieval): keys are the word context and the in-value flag, the query is
 *   the previous word, so from "is " after the name in the question it spreads its attention over
 *   the whole asked value, digits and ".". Its output goes to the junk slot: it marks the value, the
 *   n-gram heads copy it.
 * - Every other head does something else, as heads of trained models do: attention sinks on BOS,
 *   local (recency) windows, uniform averages, every-digit heads, bigram and trigram matchers in
 *   layer 1 that spread over every "is " continuation, an extra previous-token head. They write small
 *   vectors into the junk slot, which nothing reads.
 * The MLP exists (feed_forward_length 32) and is zero.
 */

export const RETRIEVAL_SHAPE: LlamaShape = {
  layers: 4,
  embedding: 488,
  heads: 8,
  kvHeads: 2,
  keyLength: 256,
  valueLength: 256,
  feedForward: 32,
  contextLength: 4096,
  ropeFreqBase: 1e30,
  rmsEpsilon: 1e-5,
};

/** The heads that retrieve the asked value, as [layer, head]. */
export const RETRIEVAL_HEADS: ReadonlyArray<readonly [layer: number, head: number]> = [
  [2, 0],
  [3, 4],
];

/** The head that marks the whole asked value from the question, as [layer, head]. */
export const SPAN_RETRIEVAL_HEAD = [3, 0] as const;

export type HeadRole =
  | "previous-token"
  | "window-copy"
  | "retrieval"
  | "sink"
  | "recency"
  | "uniform"
  | "every-digit"
  | "bigram-match"
  | "trigram-match"
  | "previous-word-carry"
  | "word-carry"
  | "span-retrieval";

/**
 * What a KV group's keys and values hold. "positional-with-context" adds the codes of the 3 previous
 * tokens to the positional keys (for bigram and trigram matchers). "carries" and "word-match" are
 * "features" groups with more in them: what the two carry heads need, and the span head's keys.
 */
export type GroupKind = "positional" | "positional-with-context" | "features" | "n-gram" | "carries" | "word-match";

export interface HeadPlan {
  role: HeadRole;
  /** previous-token / window-copy: how many tokens back. */
  offset?: number;
}

export interface LayerPlan {
  groups: [GroupKind, GroupKind];
  heads: HeadPlan[];
}

const prev = (offset: number): HeadPlan => ({ role: "previous-token", offset });
const role = (name: HeadRole): HeadPlan => ({ role: name });

/** Heads 0-3 read KV group 0, heads 4-7 group 1. */
export const PLAN: LayerPlan[] = [
  {
    groups: ["positional", "features"],
    heads: [prev(1), prev(2), prev(3), prev(4), role("sink"), role("recency"), role("every-digit"), role("uniform")],
  },
  {
    groups: ["positional-with-context", "features"],
    heads: [
      { role: "window-copy", offset: 5 },
      role("bigram-match"),
      prev(1),
      role("trigram-match"),
      role("every-digit"),
      role("sink"),
      role("uniform"),
      role("recency"),
    ],
  },
  {
    groups: ["n-gram", "carries"],
    heads: [
      role("retrieval"),
      role("uniform"),
      role("sink"),
      role("sink"),
      role("recency"),
      role("every-digit"),
      role("previous-word-carry"),
      role("word-carry"),
    ],
  },
  {
    groups: ["word-match", "n-gram"],
    heads: [
      role("span-retrieval"),
      role("uniform"),
      role("every-digit"),
      role("recency"),
      role("retrieval"),
      role("sink"),
      role("uniform"),
      role("sink"),
    ],
  },
];

/** What each head does, [layer][head]. */
export const HEAD_ROLES: HeadRole[][] = PLAN.map((layer) => layer.heads.map((head) => head.role));
