/**
 * Prompt positions whose tokens overlap the answer inside the needle sentence. `text` is what the prompt's
 * tokens decode to and `offsets[i]` where token i starts in it (token i ends where token i + 1 starts). The
 * needle must appear exactly once in `text`, so the question or cue, which repeat only its opening, are
 * never mistaken for it.
 */
export function answerPositions(
  text: string,
  offsets: ArrayLike<number>,
  sentence: string,
  answer: string,
): Int32Array {
  const offset = sentence.indexOf(answer);
  if (offset < 0) throw new Error(`the answer "${answer}" is not in the needle "${sentence}"`);
  const at = text.indexOf(sentence);
  if (at < 0) throw new Error(`the needle "${sentence}" was not found in the prompt's tokens`);
  if (text.indexOf(sentence, at + 1) >= 0)
    throw new Error(`the needle "${sentence}" appears more than once in the prompt`);
  const answerStart = at + offset;
  const answerEnd = answerStart + answer.length;
  const positions: number[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const end = i + 1 < offsets.length ? offsets[i + 1] : text.length;
    if (offsets[i] < end && offsets[i] < answerEnd && end > answerStart) positions.push(i);
  }
  return Int32Array.from(positions);
}
