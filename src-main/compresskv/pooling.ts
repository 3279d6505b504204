import type { Pooling } from "./types";

/**
 * 1-D pooling with stride 1 and same padding over `input` (odd kernel). Average pooling divides by the
 * kernel size everywhere, counting the zero padding (PyTorch's avg_pool1d default, as the reference uses);
 * max pooling ignores the padding. Each output is summed afresh (no running sum), so equal neighbourhoods
 * give bit-equal outputs and ties stay ties.
 */
export function pool1d(
  input: ArrayLike<number>,
  pooling: Pooling,
  output = new Float64Array(input.length),
): Float64Array {
  const { kind, kernel } = pooling;
  if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0)
    throw new RangeError(`pooling kernel must be a positive odd integer, got ${kernel}`);
  const n = input.length;
  const half = (kernel - 1) / 2;
  const reduce = kind === "avg" ? averageAt : maxAt;
  const interiorEnd = Math.max(half, n - half);
  for (let i = 0; i < Math.min(half, n); i++) output[i] = reduce(input, 0, Math.min(n - 1, i + half), kernel);
  for (let i = half; i < interiorEnd; i++) output[i] = reduce(input, i - half, i + half, kernel);
  for (let i = interiorEnd; i < n; i++) output[i] = reduce(input, Math.max(0, i - half), n - 1, kernel);
  return output;
}

function averageAt(input: ArrayLike<number>, lo: number, hi: number, kernel: number): number {
  let sum = 0;
  for (let j = lo; j <= hi; j++) sum += input[j];
  return sum / kernel;
}

function maxAt(input: ArrayLike<number>, lo: number, hi: number): number {
  let max = -Infinity;
  for (let j = lo; j <= hi; j++) if (input[j] > max) max = input[j];
  return max;
}
