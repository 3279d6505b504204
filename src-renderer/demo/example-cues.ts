/**
 * Questions to try with the bundled retrieval model. It is not a chat model: it continues text, so a
 * "question" is the opening of a fact ("The code of Bako is") and the answer is its value.
 */
const FACT = /\b(The (?:secret |access |door |pass )?code (?:of|for) [A-Z][a-z]+ is) \d+\./g;

/** Up to `limit` fact openings from the text, spread over it (first, last and between). */
export function exampleCues(text: string, limit = 4): string[] {
  const cues = [...new Set(Array.from(text.matchAll(FACT), (match) => match[1]))];
  if (cues.length <= limit) return cues;
  const step = (cues.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => cues[Math.round(i * step)]);
}
