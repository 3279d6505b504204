import type { LlamaContextSequence, Token } from "node-llama-cpp";

/**
 * Next-token log-probabilities after every token, read through node-llama-cpp (which exposes
 * probabilities, not raw logits). Appends `tokens` to the sequence. A probability that underflowed
 * to 0 in llama.cpp's F32 softmax comes back as -Infinity.
 */
export async function llamaCppLogProbabilities(
  sequence: LlamaContextSequence,
  tokens: number[],
  vocabularySize: number,
): Promise<Float64Array[]> {
  const results = await sequence.controlledEvaluate(
    tokens.map((token) => [token as Token, { generateNext: { probabilities: true } }]),
  );
  return results.map((result, index) => {
    const probabilities = result?.next.probabilities;
    if (!probabilities) throw new Error(`llama.cpp returned no probabilities after token ${index}`);
    const row = new Float64Array(vocabularySize).fill(-Infinity);
    for (const [token, probability] of probabilities) row[token] = Math.log(probability);
    return row;
  });
}

export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * The largest |logit difference| between a reference row and llama.cpp's log-probabilities, up to
 * the constant softmax removes: both are measured from their own arg-max token. Tokens whose
 * probability underflowed in llama.cpp are skipped (their logits lie ~100 below the top).
 */
export function maxLogitDifference(reference: ArrayLike<number>, logProbabilities: Float64Array): number {
  const top = argMax(logProbabilities);
  let largest = 0;
  for (let token = 0; token < logProbabilities.length; token++) {
    if (logProbabilities[token] === -Infinity) continue;
    const llamaCpp = logProbabilities[token] - logProbabilities[top];
    const ours = reference[token] - reference[top];
    largest = Math.max(largest, Math.abs(llamaCpp - ours));
  }
  return largest;
}
