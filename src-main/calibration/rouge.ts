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
  if (expected.length === 0) return 0;
  const available = new Map<string, number>();
  for (const word of words(candidate)) available.set(word, (available.get(word) ?? 0) + 1);
  let matched = 0;
  for (const word of expected) {
    const left = available.get(word) ?? 0;
    if (left === 0) continue;
    matched++;
    available.set(word, left - 1);
  }
  return matched / expected.length;
}

/** A probe counts when the answer's ROUGE-1 recall in the generated text is above one half (DESIGN 1.1). */
export function answerIsRight(answer: string, generated: string): boolean {
  return rouge1Recall(answer, generated) > 0.5;
}
