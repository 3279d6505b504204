/** Lower-cased runs of letters and digits: a word split that needs no model tokenizer. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * ROUGE-1 recall: the share of the reference's words that the candidate contains, each candidate word
 * matching at most one reference word (clipped counts). 0 for an empty reference.
 */
export function rouge1Recall(reference: string, candidate: string): number {
  const expected = words(reference);
  return expected.length === 0 ? 0 : sharedWords(expected, words(candidate)) / expected.length;
}

/** Words the two lists share, each word of either side used at most once (clipped counts). */
export function sharedWords(reference: readonly string[], candidate: readonly string[]): number {
  const available = new Map<string, number>();
  for (const word of candidate) available.set(word, (available.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of reference) {
    const left = available.get(word) ?? 0;
    if (left === 0) continue;
    shared++;
    available.set(word, left - 1);
  }
  return shared;
}

/** A probe counts when the answer's ROUGE-1 recall in the generated text is above one half (DESIGN 1.1). */
export function answerIsRight(answer: string, generated: string): boolean {
  return rouge1Recall(answer, generated) > 0.5;
}
