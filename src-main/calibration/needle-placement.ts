/** A haystack with a needle in it, and where the needle starts. */
export interface PlacedNeedle {
  readonly text: string;
  /** Character offset of the needle sentence in `text`. */
  readonly needleStart: number;
}

/**
 * Offsets where a sentence may be inserted: the start, the end, and every offset where a sentence begins
 * (after ".", "!" or "?" and whitespace, or after whitespace holding a line break). Ascending.
 */
export function sentenceBoundaries(text: string): number[] {
  const boundaries = [0];
  for (let i = 1; i < text.length; i++) {
    if (/\s/.test(text[i]) || !/\s/.test(text[i - 1])) continue;
    let before = i - 1;
    while (before >= 0 && /\s/.test(text[before])) before--;
    if (before < 0) continue;
    if (/[.!?]/.test(text[before]) || text.slice(before + 1, i).includes("\n")) boundaries.push(i);
  }
  if (text.length > 0) boundaries.push(text.length);
  return boundaries;
}

/**
 * Inserts `sentence` at the sentence boundary nearest to `depth` (0 = start, 1 = end) of the haystack,
 * ties to the earlier boundary, with a space on each side where the neighbouring text has none.
 */
export function placeNeedle(haystack: string, sentence: string, depth: number): PlacedNeedle {
  if (!(depth >= 0 && depth <= 1)) throw new RangeError(`depth ${depth} must be between 0 and 1`);
  const target = depth * haystack.length;
  let at = 0;
  for (const boundary of sentenceBoundaries(haystack)) {
    if (Math.abs(boundary - target) < Math.abs(at - target)) at = boundary;
  }
  const before = haystack.slice(0, at);
  const after = haystack.slice(at);
  const lead = before === "" || /\s$/.test(before) ? "" : " ";
  const trail = after === "" || /^\s/.test(after) ? "" : " ";
  return { text: `${before}${lead}${sentence}${trail}${after}`, needleStart: before.length + lead.length };
}

/**
 * The haystack cut to at most `chars` characters, repeated (paragraph-separated) when shorter, and ended at
 * the last sentence end when one lies in the second half of the cut.
 */
export function haystackOfLength(source: string, chars: number): string {
  const paragraphs = source.trim();
  if (paragraphs === "") throw new RangeError("the haystack text is empty");
  let text = paragraphs;
  while (text.length < chars) text += `\n\n${paragraphs}`;
  if (text.length === chars) return text;
  // A boundary depends only on the characters up to it, so the text past `chars` can be left out.
  const boundaries = sentenceBoundaries(text.slice(0, chars + 1)).filter((boundary) => boundary <= chars);
  const last = boundaries[boundaries.length - 1];
  return text.slice(0, last >= chars / 2 ? last : chars).trimEnd();
}
