import type { LlamaLayerWeights, LlamaShape, LlamaWeights } from "./llama-model";

/** The reference forward's weights: F16 rounding as ggml does it, and sparse matrices prepared once per model. */

const f32Scratch = new Float32Array(1);
const f32Bits = new Uint32Array(f32Scratch.buffer);
const F16_SUBNORMAL_QUANTUM = 2 ** -24;

/**
 * The value an F32 number holds once converted to F16 (round to nearest even) and back; the same
 * as the writer's float32ToFloat16Bits + float16BitsToFloat32, done on the F32 bits for speed.
 */
export function roundToFloat16(value: number): number {
  f32Scratch[0] = value;
  const bits = f32Bits[0];
  const exponent = (bits >>> 23) & 0xff;
  if (exponent === 0xff) return f32Scratch[0];
  if (exponent >= 113) {
    // Normal in F16: keep 10 mantissa bits, ties to even.
    const rounded = (bits + 0xfff + ((bits >>> 13) & 1)) & ~0x1fff;
    f32Bits[0] = rounded >>> 0;
    const result = f32Scratch[0];
    return Math.abs(result) >= 65520 ? (result > 0 ? Infinity : -Infinity) : result;
  }
  // Subnormal (or zero) in F16: a multiple of 2^-24.
  const magnitude = Math.abs(f32Scratch[0]) / F16_SUBNORMAL_QUANTUM;
  let steps = Math.floor(magnitude);
  const remainder = magnitude - steps;
  if (remainder > 0.5 || (remainder === 0.5 && steps % 2 === 1)) steps++;
  const result = steps * F16_SUBNORMAL_QUANTUM;
  return f32Scratch[0] < 0 || Object.is(f32Scratch[0], -0) ? -result : result;
}

export function roundAllToFloat16(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = roundToFloat16(values[i]);
  return out;
}

/**
 * A row-major [rows][columns] matrix in float64 (rounded to F16 first when that is how it is
 * stored), with its non-zero entries listed per row: hand-written models are mostly zeros, and
 * skipping exact zeros leaves every sum unchanged.
 */
export interface Matrix {
  rows: number;
  columns: number;
  values: Float64Array;
  rowStart: Int32Array;
  nonZeroColumns: Int32Array;
  nonZeroValues: Float64Array;
}

function prepareMatrix(source: Float32Array, rows: number, columns: number, float16: boolean): Matrix {
  const values = Float64Array.from(source);
  if (float16) for (let i = 0; i < values.length; i++) values[i] = roundToFloat16(values[i]);
  let nonZero = 0;
  for (const value of values) if (value !== 0) nonZero++;
  const rowStart = new Int32Array(rows + 1);
  const nonZeroColumns = new Int32Array(nonZero);
  const nonZeroValues = new Float64Array(nonZero);
  let next = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = next;
    for (let c = 0; c < columns; c++) {
      const value = values[r * columns + c];
      if (value === 0) continue;
      nonZeroColumns[next] = c;
      nonZeroValues[next++] = value;
    }
  }
  rowStart[rows] = next;
  return { rows, columns, values, rowStart, nonZeroColumns, nonZeroValues };
}

export interface PreparedLayer {
  attnNorm: Float32Array;
  wq: Matrix;
  wk: Matrix;
  wv: Matrix;
  wo: Matrix;
  ffnNorm: Float32Array;
  wGate: Matrix;
  wUp: Matrix;
  wDown: Matrix;
}

export interface PreparedWeights {
  tokenEmbedding: Matrix;
  output: Matrix;
  layers: PreparedLayer[];
}

const preparedCache = new WeakMap<LlamaWeights, Map<boolean, PreparedWeights>>();

function prepareLayer(layer: LlamaLayerWeights, shape: LlamaShape, float16: boolean): PreparedLayer {
  const { embedding: d, heads, kvHeads, keyLength, valueLength, feedForward: f } = shape;
  return {
    attnNorm: layer.attnNorm,
    wq: prepareMatrix(layer.wq, heads * keyLength, d, float16),
    wk: prepareMatrix(layer.wk, kvHeads * keyLength, d, float16),
    wv: prepareMatrix(layer.wv, kvHeads * valueLength, d, float16),
    wo: prepareMatrix(layer.wo, d, heads * valueLength, float16),
    ffnNorm: layer.ffnNorm,
    wGate: prepareMatrix(layer.wGate, f, d, float16),
    wUp: prepareMatrix(layer.wUp, f, d, float16),
    wDown: prepareMatrix(layer.wDown, d, f, float16),
  };
}

export function prepare(weights: LlamaWeights, float16: boolean): PreparedWeights {
  let byMode = preparedCache.get(weights);
  if (!byMode) {
    byMode = new Map();
    preparedCache.set(weights, byMode);
  }
  let prepared = byMode.get(float16);
  if (!prepared) {
    const d = weights.shape.embedding;
    const vocabulary = weights.output.length / d;
    prepared = {
      tokenEmbedding: prepareMatrix(weights.tokenEmbedding, vocabulary, d, float16),
      output: prepareMatrix(weights.output, vocabulary, d, float16),
      layers: weights.layers.map((layer) => prepareLayer(layer, weights.shape, float16)),
    };
    byMode.set(float16, prepared);
  }
  return prepared;
}

/** out[r] = W[r] · x. */
export function matVec(w: Matrix, x: Float64Array, out: Float64Array): void {
  const { rowStart, nonZeroColumns, nonZeroValues } = w;
  for (let r = 0; r < w.rows; r++) {
    let sum = 0;
    for (let i = rowStart[r]; i < rowStart[r + 1]; i++) sum += nonZeroValues[i] * x[nonZeroColumns[i]];
    out[r] = sum;
  }
}

/** The input of a mat-mul as ggml sees it: rounded to F16 when the weights are F16. */
export function matMulInput(x: Float64Array, float16: boolean): Float64Array {
  return float16 ? roundAllToFloat16(x) : x;
}
