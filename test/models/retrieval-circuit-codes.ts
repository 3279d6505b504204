import { BOS_ID, VOCABULARY_SIZE } from "./byte-vocabulary";
import { SeededRandom } from "./llama-model";

/** Size of a token code, a unit vector in the residual stream. */
export const CODE_SIZE = 24;

export function isTextByte(byte: number): boolean {
  return byte === 10 || (byte >= 32 && byte <= 126);
}

function normalize(values: Float64Array): Float64Array {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  return values.map((value) => value / norm);
}

/**
 * One unit code per token. Text bytes are pushed apart (gradient steps on the cubed overlaps) so
 * that any two differ clearly; other tokens keep random codes (they never occur in prompts).
 */
export function tokenCodes(seed = 7, steps = 200): Float64Array[] {
  const random = new SeededRandom(seed);
  const codes = Array.from({ length: VOCABULARY_SIZE }, () =>
    normalize(Float64Array.from({ length: CODE_SIZE }, () => random.normal())),
  );
  const spread = [...codes.keys()].filter((token) => isTextByte(token) || token === BOS_ID);
  for (let step = 0; step < steps; step++) {
    const pushes = spread.map(() => new Float64Array(CODE_SIZE));
    for (let a = 0; a < spread.length; a++) {
      for (let b = a + 1; b < spread.length; b++) {
        const ca = codes[spread[a]];
        const cb = codes[spread[b]];
        let overlap = 0;
        for (let i = 0; i < CODE_SIZE; i++) overlap += ca[i] * cb[i];
        const weight = overlap * overlap * overlap;
        for (let i = 0; i < CODE_SIZE; i++) {
          pushes[a][i] += weight * cb[i];
          pushes[b][i] += weight * ca[i];
        }
      }
    }
    spread.forEach((token, index) => {
      codes[token] = normalize(codes[token].map((value, i) => value - 0.5 * pushes[index][i]));
    });
  }
  return codes;
}
