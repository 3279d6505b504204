/**
 * Prompt positions whose token text overlaps the answer inside the needle sentence. `pieces[i]` is the text
 * of token i (empty for control tokens); the needle must appear exactly once in their concatenation, so the
 * question or cue, which repeat only its opening, are never mistaken for it.
 */
export function answerPositions(pieces: readonly string[], sentence: string, answer: string): Int32Array {
  const offset = sentence.indexOf(answer);
  if (offset < 0) throw new Error(`the answer "${answer}" is not in the needle "${sentence}"`);
  const starts: number[] = [];
  let text = "";
  for (const piece of pieces) {
    starts.push(text.length);
    text += piece;
  }
  const at = text.indexOf(sentence);
  if (at < 0) throw new Error(`the needle "${sentence}" was not found in the prompt's tokens`);
  if (text.indexOf(sentence, at + 1) >= 0) throw new Error(`the needle "${sentence}" appears more than once in the prompt`);
  const answerStart = at + offset;
  const answerEnd = answerStart + answer.length;
  const positions: number[] = [];
  pieces.forEach((piece, i) => {
    if (piece.length > 0 && starts[i] < answerEnd && starts[i] + piece.length > answerStart) positions.push(i);
  });
  return Int32Array.from(positions);
}
