import type { LlamaShape, LlamaWeights } from "./llama-model";
import { type Matrix, matMulInput, matVec, type PreparedLayer, prepare, roundToFloat16 } from "./reference-weights";

/**
 * Which of llama.cpp's CPU roundings to mimic. With F16 matrices, ggml's mat-mul first converts the
 * F32 activation to F16 (the weight type's "vec_dot_type"); with an F16 KV cache, K and V are stored
 * as F16, so the query is rounded to F16 before Q·K and the probabilities before P·V.
 * Emulation is close, not exact: a value that lies on an F16 rounding boundary may round one way in
 * llama.cpp's F32 arithmetic and the other way here. For exact checks (logits ~1e-5 apart) use F32
 * matrices and an F32 KV cache (`experimentalKvCacheKeyType/ValueType: "F32"`).
 */
export interface Float16Emulation {
  /** Matrices stored as F16 (the writer's `storedValues`) and activations rounded before each mat-mul. */
  weights?: boolean;
  /** K and V stored as F16 (llama.cpp's default cache type). */
  kvCache?: boolean;
}

export interface ReferenceForwardOptions {
  /** RoPE position of each token (default 0..n-1). */
  positions?: number[];
  /** A mask on top of causality (key index <= query index); false hides the key from the query. */
  visible?: (layer: number, query: number, key: number) => boolean;
  /** Token indices whose logits are wanted, in this order (default: every token). */
  outputs?: number[];
  /** Return the attention probabilities of every layer and head. */
  captureAttention?: boolean;
  /** Query rows whose probabilities are captured, in this order (default: every token). */
  attentionQueries?: number[];
  emulateF16?: Float16Emulation;
}

export interface ReferenceForwardResult {
  /** One vocabulary-sized row per entry of `outputs`. */
  logits: Float32Array[];
  /**
   * [layer][head], each row-major [attention query row][key] with one column per token; hidden
   * keys hold 0. Present when `captureAttention` is set.
   */
  attention?: Float32Array[][];
}

/** ggml's rms_norm followed by the norm weight; ggml computes the scale in F32. */
function rmsNorm(x: Float64Array, weight: Float32Array, epsilon: number): Float64Array {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  const mean = Math.fround(sum / x.length);
  const scale = Math.fround(1 / Math.fround(Math.sqrt(Math.fround(mean + epsilon))));
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale * weight[i];
  return out;
}

/**
 * cos/sin per rotated pair for one position, as ggml's CPU rope computes them: the angle starts at
 * the position and is multiplied, in F32, by base^(-2/n_rot) from one pair to the next.
 */
function ropeTable(position: number, shape: LlamaShape): Float64Array {
  const pairs = shape.keyLength / 2;
  const thetaScale = Math.fround(Math.fround(shape.ropeFreqBase) ** (-2 / shape.keyLength));
  const table = new Float64Array(pairs * 2);
  let theta = Math.fround(position);
  for (let i = 0; i < pairs; i++) {
    table[2 * i] = Math.fround(Math.cos(theta));
    table[2 * i + 1] = Math.fround(Math.sin(theta));
    theta = Math.fround(theta * thetaScale);
  }
  return table;
}

/** llama's "normal" RoPE: rotates the interleaved pairs (x[2i], x[2i+1]) of each head in place. */
function applyRope(values: Float64Array, headCount: number, headSize: number, table: Float64Array): void {
  for (let h = 0; h < headCount; h++) {
    const base = h * headSize;
    for (let i = 0; i < headSize; i += 2) {
      const x0 = values[base + i];
      const x1 = values[base + i + 1];
      const cos = table[i];
      const sin = table[i + 1];
      values[base + i] = x0 * cos - x1 * sin;
      values[base + i + 1] = x0 * sin + x1 * cos;
    }
  }
}

function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

interface LayerContext {
  layer: number;
  shape: LlamaShape;
  weights: PreparedLayer;
  ropeTables: Float64Array[];
  options: ReferenceForwardOptions;
  /** Query rows this layer must compute (every token except possibly in the last layer). */
  rows: number[];
  attentionRowOf: Map<number, number> | undefined;
  attention: Float32Array[][] | undefined;
}

/** Sorted dimensions of a head's query that can be non-zero: rows of W_q with entries, and their RoPE partners. */
function queryDimensions(wq: Matrix, head: number, keyLength: number): Int32Array {
  const used: number[] = [];
  for (let i = 0; i < keyLength; i++) {
    const pairStart = head * keyLength + (i & ~1);
    const rowsHaveEntries = wq.rowStart[pairStart + 2] > wq.rowStart[pairStart];
    if (rowsHaveEntries) used.push(i);
  }
  return Int32Array.from(used);
}

/** Copies columns `dims` of every row of a row-major [n][width] block into a contiguous [n][dims] one. */
function gatherColumns(source: Float64Array, offset: number, n: number, width: number, dims: Int32Array): Float64Array {
  const out = new Float64Array(n * dims.length);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < dims.length; j++) out[t * dims.length + j] = source[offset + t * width + dims[j]];
  }
  return out;
}

/** Self-attention of one layer for the requested rows; returns each row's attention output (pre-residual). */
function attentionBlock(hidden: Float64Array[], context: LayerContext): Map<number, Float64Array> {
  const { shape, weights, options, layer } = context;
  const n = hidden.length;
  const { embedding: d, heads, kvHeads, keyLength, valueLength } = shape;
  const f16Weights = options.emulateF16?.weights ?? false;
  const f16Cache = options.emulateF16?.kvCache ?? false;
  const group = heads / kvHeads;
  const kqScale = Math.fround(1 / Math.fround(Math.sqrt(keyLength)));

  const normed = hidden.map((x) => matMulInput(rmsNorm(x, weights.attnNorm, shape.rmsEpsilon), f16Weights));
  // K and V of every token, per KV head: [kvHead][token][dim], as the cache stores them.
  const keys = new Float64Array(kvHeads * n * keyLength);
  const values = new Float64Array(kvHeads * n * valueLength);
  const k = new Float64Array(kvHeads * keyLength);
  const v = new Float64Array(kvHeads * valueLength);
  const cached = (value: number): number => (f16Cache ? roundToFloat16(value) : value);
  for (let t = 0; t < n; t++) {
    matVec(weights.wk, normed[t], k);
    matVec(weights.wv, normed[t], v);
    applyRope(k, kvHeads, keyLength, context.ropeTables[t]);
    for (let g = 0; g < kvHeads; g++) {
      for (let i = 0; i < keyLength; i++) keys[(g * n + t) * keyLength + i] = cached(k[g * keyLength + i]);
      for (let i = 0; i < valueLength; i++) values[(g * n + t) * valueLength + i] = cached(v[g * valueLength + i]);
    }
  }

  // Dimensions that are exactly zero add nothing to Q·K or P·V, so each head works on the others,
  // gathered contiguously (sums keep their order).
  const headDims = Array.from({ length: heads }, (_, h) => queryDimensions(weights.wq, h, keyLength));
  const headKeys = headDims.map((dims, h) =>
    gatherColumns(keys, Math.floor(h / group) * n * keyLength, n, keyLength, dims),
  );
  const valueDims = Array.from({ length: kvHeads }, (_, g) => {
    const used: number[] = [];
    for (let i = 0; i < valueLength; i++) {
      for (let t = 0; t < n; t++) {
        if (values[(g * n + t) * valueLength + i] !== 0) {
          used.push(i);
          break;
        }
      }
    }
    return Int32Array.from(used);
  });
  const groupValues = valueDims.map((dims, g) => gatherColumns(values, g * n * valueLength, n, valueLength, dims));

  const outputs = new Map<number, Float64Array>();
  const q = new Float64Array(heads * keyLength);
  const scores = new Float64Array(n);
  const mixed = new Float64Array(heads * valueLength);
  for (const row of context.rows) {
    matVec(weights.wq, normed[row], q);
    applyRope(q, heads, keyLength, context.ropeTables[row]);
    if (f16Cache) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
    mixed.fill(0);
    for (let h = 0; h < heads; h++) {
      const dims = headDims[h];
      const width = dims.length;
      const compactQuery = new Float64Array(width);
      for (let j = 0; j < width; j++) compactQuery[j] = q[h * keyLength + dims[j]];
      const compactKeys = headKeys[h];
      let max = -Infinity;
      for (let key = 0; key <= row; key++) {
        if (options.visible && !options.visible(layer, row, key)) {
          scores[key] = -Infinity;
          continue;
        }
        let dot = 0;
        const base = key * width;
        for (let j = 0; j < width; j++) dot += compactQuery[j] * compactKeys[base + j];
        // ggml keeps kq in F32 and scales it in F32 inside soft_max.
        const score = Math.fround(Math.fround(dot) * kqScale);
        scores[key] = score;
        if (score > max) max = score;
      }
      let sum = 0;
      for (let key = 0; key <= row; key++) {
        const e = scores[key] === -Infinity ? 0 : Math.exp(scores[key] - max);
        scores[key] = e;
        sum += e;
      }
      const captureRow = context.attentionRowOf?.get(row);
      const captured = captureRow === undefined ? undefined : context.attention![layer][h];
      const g = Math.floor(h / group);
      const used = valueDims[g];
      const compactValues = groupValues[g];
      const headMix = new Float64Array(used.length);
      for (let key = 0; key <= row; key++) {
        const p = scores[key] / sum;
        if (captured) captured[captureRow! * n + key] = p;
        if (p === 0) continue;
        const weight = f16Cache ? roundToFloat16(p) : p;
        const base = key * used.length;
        for (let j = 0; j < used.length; j++) headMix[j] += weight * compactValues[base + j];
      }
      for (let j = 0; j < used.length; j++) mixed[h * valueLength + used[j]] = headMix[j];
    }
    const out = new Float64Array(d);
    matVec(weights.wo, matMulInput(mixed, f16Weights), out);
    outputs.set(row, out);
  }
  return outputs;
}

function feedForward(x: Float64Array, weights: PreparedLayer, shape: LlamaShape, f16Weights: boolean): Float64Array {
  const { embedding: d, feedForward: f } = shape;
  const normed = matMulInput(rmsNorm(x, weights.ffnNorm, shape.rmsEpsilon), f16Weights);
  const gate = new Float64Array(f);
  const up = new Float64Array(f);
  matVec(weights.wGate, normed, gate);
  matVec(weights.wUp, normed, up);
  const act = new Float64Array(f);
  for (let i = 0; i < f; i++) act[i] = silu(gate[i]) * up[i];
  const out = new Float64Array(d);
  matVec(weights.wDown, matMulInput(act, f16Weights), out);
  return out;
}

/**
 * A llama forward pass in float64, written from llama.cpp's `llama` graph: RMSNorm, GQA attention
 * with interleaved-pair RoPE and scale 1/sqrt(key_length), SwiGLU, final norm and output matrix.
 * An independent check of what llama.cpp computes, optionally with its F16 roundings.
 */
export function referenceForward(
  weights: LlamaWeights,
  tokens: number[],
  options: ReferenceForwardOptions = {},
): ReferenceForwardResult {
  const { shape } = weights;
  const n = tokens.length;
  const d = shape.embedding;
  const f16Weights = options.emulateF16?.weights ?? false;
  const prepared = prepare(weights, f16Weights);
  const positions = options.positions ?? tokens.map((_, i) => i);
  if (positions.length !== n) throw new Error("referenceForward: one position per token is required");
  const outputRows = options.outputs ?? tokens.map((_, i) => i);
  const everyRow = tokens.map((_, i) => i);

  const attentionQueries = options.attentionQueries ?? everyRow;
  const attentionRowOf = options.captureAttention
    ? new Map(attentionQueries.map((row, index) => [row, index] as const))
    : undefined;
  const attention = options.captureAttention
    ? weights.layers.map(() => Array.from({ length: shape.heads }, () => new Float32Array(attentionQueries.length * n)))
    : undefined;

  let hidden: Float64Array[] = tokens.map((token) => prepared.tokenEmbedding.values.slice(token * d, (token + 1) * d));
  const ropeTables = positions.map((position) => ropeTable(position, shape));
  prepared.layers.forEach((layerWeights, layer) => {
    const lastLayer = layer === prepared.layers.length - 1;
    // Like llama.cpp's inp_out_ids: the last layer only needs the rows that are read out or captured.
    const rows = lastLayer
      ? [...new Set([...outputRows, ...(attentionRowOf?.keys() ?? [])])].sort((a, b) => a - b)
      : everyRow;
    const attended = attentionBlock(hidden, {
      layer,
      shape,
      weights: layerWeights,
      ropeTables,
      options,
      rows,
      attentionRowOf,
      attention,
    });
    const next: Float64Array[] = new Array(n);
    for (const row of rows) {
      const residual = hidden[row].map((value, i) => value + attended.get(row)![i]);
      const ffn = feedForward(residual, layerWeights, shape, f16Weights);
      next[row] = residual.map((value, i) => value + ffn[i]);
    }
    hidden = next;
  });

  const vocabulary = prepared.output.rows;
  const logits = outputRows.map((row) => {
    const normed = matMulInput(rmsNorm(hidden[row], weights.outputNorm, shape.rmsEpsilon), f16Weights);
    const out = new Float64Array(vocabulary);
    matVec(prepared.output, normed, out);
    return Float32Array.from(out);
  });
  return attention ? { logits, attention } : { logits };
}
