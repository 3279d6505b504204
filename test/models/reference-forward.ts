import { float16BitsToFloat32, float32ToFloat16Bits } from "./gguf-writer";
import type { LlamaLayerWeights, LlamaShape, LlamaWeights } from "./llama-model";

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

const f16Scratch = new Float32Array(1);

/** The value an F32 number holds once converted to F16 and back. */
export function roundToFloat16(value: number): number {
  f16Scratch[0] = value;
  return float16BitsToFloat32(float32ToFloat16Bits(f16Scratch[0]));
}

function roundAllToFloat16(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = roundToFloat16(values[i]);
  return out;
}

/** A matrix in float64, rounded to F16 first when that is how it is stored. */
function prepareMatrix(values: Float32Array, float16: boolean): Float64Array {
  const out = Float64Array.from(values);
  return float16 ? roundAllToFloat16(out) : out;
}

interface PreparedLayer {
  attnNorm: Float32Array;
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
  wo: Float64Array;
  ffnNorm: Float32Array;
  wGate: Float64Array;
  wUp: Float64Array;
  wDown: Float64Array;
}

interface PreparedWeights {
  tokenEmbedding: Float64Array;
  output: Float64Array;
  layers: PreparedLayer[];
}

const preparedCache = new WeakMap<LlamaWeights, Map<boolean, PreparedWeights>>();

function prepareLayer(layer: LlamaLayerWeights, float16: boolean): PreparedLayer {
  return {
    attnNorm: layer.attnNorm,
    wq: prepareMatrix(layer.wq, float16),
    wk: prepareMatrix(layer.wk, float16),
    wv: prepareMatrix(layer.wv, float16),
    wo: prepareMatrix(layer.wo, float16),
    ffnNorm: layer.ffnNorm,
    wGate: prepareMatrix(layer.wGate, float16),
    wUp: prepareMatrix(layer.wUp, float16),
    wDown: prepareMatrix(layer.wDown, float16),
  };
}

function prepare(weights: LlamaWeights, float16: boolean): PreparedWeights {
  let byMode = preparedCache.get(weights);
  if (!byMode) preparedCache.set(weights, (byMode = new Map()));
  let prepared = byMode.get(float16);
  if (!prepared) {
    prepared = {
      tokenEmbedding: prepareMatrix(weights.tokenEmbedding, float16),
      output: prepareMatrix(weights.output, float16),
      layers: weights.layers.map((layer) => prepareLayer(layer, float16)),
    };
    byMode.set(float16, prepared);
  }
  return prepared;
}

/** out[r] = W[r] · x for a row-major [rows][columns] matrix. */
function matVec(w: Float64Array, x: Float64Array, rows: number, columns: number, out: Float64Array, outOffset = 0): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    let sum = 0;
    for (let c = 0; c < columns; c++) sum += w[base + c] * x[c];
    out[outOffset + r] = sum;
  }
}

/** The input of a mat-mul as ggml sees it: rounded to F16 when the weights are F16. */
function matMulInput(x: Float64Array, float16: boolean): Float64Array {
  return float16 ? roundAllToFloat16(x) : x;
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
  const thetaScale = Math.fround(Math.pow(Math.fround(shape.ropeFreqBase), -2 / shape.keyLength));
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
  // K and V of every token, per KV head, contiguous: [kvHead][token][dim].
  const keys = new Float64Array(kvHeads * n * keyLength);
  const values = new Float64Array(kvHeads * n * valueLength);
  const k = new Float64Array(kvHeads * keyLength);
  const v = new Float64Array(kvHeads * valueLength);
  for (let t = 0; t < n; t++) {
    matVec(weights.wk, normed[t], kvHeads * keyLength, d, k);
    matVec(weights.wv, normed[t], kvHeads * valueLength, d, v);
    applyRope(k, kvHeads, keyLength, context.ropeTables[t]);
    for (let g = 0; g < kvHeads; g++) {
      for (let i = 0; i < keyLength; i++) {
        const value = k[g * keyLength + i];
        keys[(g * n + t) * keyLength + i] = f16Cache ? roundToFloat16(value) : value;
      }
      for (let i = 0; i < valueLength; i++) {
        const value = v[g * valueLength + i];
        values[(g * n + t) * valueLength + i] = f16Cache ? roundToFloat16(value) : value;
      }
    }
  }

  const outputs = new Map<number, Float64Array>();
  const q = new Float64Array(heads * keyLength);
  const scores = new Float64Array(n);
  const mixed = new Float64Array(heads * valueLength);
  for (const row of context.rows) {
    matVec(weights.wq, normed[row], heads * keyLength, d, q);
    applyRope(q, heads, keyLength, context.ropeTables[row]);
    if (f16Cache) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
    mixed.fill(0);
    for (let h = 0; h < heads; h++) {
      const g = Math.floor(h / group);
      const qBase = h * keyLength;
      let max = -Infinity;
      for (let key = 0; key <= row; key++) {
        if (options.visible && !options.visible(layer, row, key)) {
          scores[key] = -Infinity;
          continue;
        }
        const kBase = (g * n + key) * keyLength;
        let dot = 0;
        for (let i = 0; i < keyLength; i++) dot += q[qBase + i] * keys[kBase + i];
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
      const vBase = h * valueLength;
      for (let key = 0; key <= row; key++) {
        const p = scores[key] / sum;
        if (captured) captured[captureRow! * n + key] = p;
        if (p === 0) continue;
        const weight = f16Cache ? roundToFloat16(p) : p;
        const base = (g * n + key) * valueLength;
        for (let i = 0; i < valueLength; i++) mixed[vBase + i] += weight * values[base + i];
      }
    }
    const out = new Float64Array(d);
    matVec(weights.wo, matMulInput(mixed, f16Weights), d, heads * valueLength, out);
    outputs.set(row, out);
  }
  return outputs;
}

function feedForward(x: Float64Array, weights: PreparedLayer, shape: LlamaShape, f16Weights: boolean): Float64Array {
  const { embedding: d, feedForward: f } = shape;
  const normed = matMulInput(rmsNorm(x, weights.ffnNorm, shape.rmsEpsilon), f16Weights);
  const gate = new Float64Array(f);
  const up = new Float64Array(f);
  matVec(weights.wGate, normed, f, d, gate);
  matVec(weights.wUp, normed, f, d, up);
  const act = new Float64Array(f);
  for (let i = 0; i < f; i++) act[i] = silu(gate[i]) * up[i];
  const out = new Float64Array(d);
  matVec(weights.wDown, matMulInput(act, f16Weights), d, f, out);
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

  let hidden: Float64Array[] = tokens.map((token) => prepared.tokenEmbedding.slice(token * d, (token + 1) * d));
  const ropeTables = positions.map((position) => ropeTable(position, shape));
  prepared.layers.forEach((layerWeights, layer) => {
    const lastLayer = layer === prepared.layers.length - 1;
    // Like llama.cpp's inp_out_ids: the last layer only needs the rows that are read out or captured.
    const rows = lastLayer ? [...new Set([...outputRows, ...(attentionRowOf?.keys() ?? [])])].sort((a, b) => a - b) : everyRow;
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

  const vocabulary = weights.output.length / d;
  const logits = outputRows.map((row) => {
    const normed = matMulInput(rmsNorm(hidden[row], weights.outputNorm, shape.rmsEpsilon), f16Weights);
    const out = new Float64Array(vocabulary);
    matVec(prepared.output, normed, vocabulary, d, out);
    return Float32Array.from(out);
  });
  return attention ? { logits, attention } : { logits };
}
