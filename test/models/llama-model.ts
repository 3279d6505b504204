import {
  GgmlType,
  GgufValueType,
  bool,
  f32,
  str,
  u32,
  writeGguf,
  type GgufTensor,
  type GgufValue,
} from "./gguf-writer";
import { byteVocabulary, VOCABULARY_SIZE } from "./byte-vocabulary";

/** The shape of a llama-architecture model with grouped-query attention. */
export interface LlamaShape {
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  /** Query/key head size (llama.attention.key_length). */
  keyLength: number;
  /** Value head size (llama.attention.value_length). */
  valueLength: number;
  feedForward: number;
  contextLength: number;
  ropeFreqBase: number;
  rmsEpsilon: number;
}

/** Matrices are row-major [out][in], so y = W x reads row r against x. */
export interface LlamaLayerWeights {
  attnNorm: Float32Array;
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
  ffnNorm: Float32Array;
  wGate: Float32Array;
  wUp: Float32Array;
  wDown: Float32Array;
}

export interface LlamaWeights {
  shape: LlamaShape;
  tokenEmbedding: Float32Array;
  outputNorm: Float32Array;
  output: Float32Array;
  layers: LlamaLayerWeights[];
}

export const TINY_LLAMA_SHAPE: LlamaShape = {
  layers: 4,
  embedding: 64,
  heads: 8,
  kvHeads: 2,
  keyLength: 16,
  valueLength: 16,
  feedForward: 128,
  contextLength: 4096,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
};

/** Deterministic PRNG (mulberry32) with a Box-Muller normal sampler. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = Math.max(this.uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
}

function randomMatrix(random: SeededRandom, rows: number, columns: number, gain: number): Float32Array {
  const out = new Float32Array(rows * columns);
  const scale = gain / Math.sqrt(columns);
  for (let i = 0; i < out.length; i++) out[i] = random.normal() * scale;
  return out;
}

function nearOnes(random: SeededRandom, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = 1 + 0.1 * random.normal();
  return out;
}

/**
 * Random weights for plumbing and parity tests. Query and key gains are large enough that attention
 * rows are far from uniform, so a probe that reads the wrong cell or head is caught.
 */
export function randomLlamaWeights(shape: LlamaShape, seed: number): LlamaWeights {
  const random = new SeededRandom(seed);
  const { embedding: d, heads, kvHeads, keyLength, valueLength, feedForward } = shape;
  const layers: LlamaLayerWeights[] = [];
  for (let l = 0; l < shape.layers; l++) {
    layers.push({
      attnNorm: nearOnes(random, d),
      wq: randomMatrix(random, heads * keyLength, d, 3),
      wk: randomMatrix(random, kvHeads * keyLength, d, 3),
      wv: randomMatrix(random, kvHeads * valueLength, d, 1),
      wo: randomMatrix(random, d, heads * valueLength, 0.5),
      ffnNorm: nearOnes(random, d),
      wGate: randomMatrix(random, feedForward, d, 1),
      wUp: randomMatrix(random, feedForward, d, 1),
      wDown: randomMatrix(random, d, feedForward, 0.5),
    });
  }
  return {
    shape,
    tokenEmbedding: randomMatrix(random, VOCABULARY_SIZE, d, Math.sqrt(d)),
    outputNorm: nearOnes(random, d),
    output: randomMatrix(random, VOCABULARY_SIZE, d, 2),
    layers,
  };
}

function llamaMetadata(shape: LlamaShape, name: string): Record<string, GgufValue> {
  const vocabulary = byteVocabulary();
  return {
    "general.architecture": str("llama"),
    "general.name": str(name),
    "general.file_type": u32(0),
    "llama.context_length": u32(shape.contextLength),
    "llama.embedding_length": u32(shape.embedding),
    "llama.block_count": u32(shape.layers),
    "llama.feed_forward_length": u32(shape.feedForward),
    "llama.attention.head_count": u32(shape.heads),
    "llama.attention.head_count_kv": u32(shape.kvHeads),
    "llama.attention.key_length": u32(shape.keyLength),
    "llama.attention.value_length": u32(shape.valueLength),
    "llama.attention.layer_norm_rms_epsilon": f32(shape.rmsEpsilon),
    "llama.rope.freq_base": f32(shape.ropeFreqBase),
    "llama.rope.dimension_count": u32(shape.keyLength),
    "llama.vocab_size": u32(VOCABULARY_SIZE),
    "tokenizer.ggml.model": str("gpt2"),
    "tokenizer.ggml.pre": str("default"),
    "tokenizer.ggml.tokens": { type: GgufValueType.Array, itemType: GgufValueType.String, items: vocabulary.tokens },
    "tokenizer.ggml.token_type": {
      type: GgufValueType.Array,
      itemType: GgufValueType.Int32,
      items: vocabulary.tokenTypes,
    },
    "tokenizer.ggml.merges": { type: GgufValueType.Array, itemType: GgufValueType.String, items: vocabulary.merges },
    "tokenizer.ggml.bos_token_id": u32(vocabulary.bosId),
    "tokenizer.ggml.eos_token_id": u32(vocabulary.eosId),
    "tokenizer.ggml.add_bos_token": bool(true),
  };
}

function matrix(name: string, data: Float32Array, rows: number, columns: number, type: GgmlType): GgufTensor {
  return { name, dims: [columns, rows], type, data };
}

function vector(name: string, data: Float32Array): GgufTensor {
  // ggml keeps norm weights in F32 whatever the file type.
  return { name, dims: [data.length], type: GgmlType.F32, data };
}

/** The GGUF tensors of a llama model, with matrices stored as `type`. */
export function llamaTensors(weights: LlamaWeights, type: GgmlType): GgufTensor[] {
  const { shape } = weights;
  const d = shape.embedding;
  const tensors: GgufTensor[] = [
    matrix("token_embd.weight", weights.tokenEmbedding, VOCABULARY_SIZE, d, type),
    vector("output_norm.weight", weights.outputNorm),
    matrix("output.weight", weights.output, VOCABULARY_SIZE, d, type),
  ];
  weights.layers.forEach((layer, i) => {
    const p = `blk.${i}.`;
    tensors.push(
      vector(`${p}attn_norm.weight`, layer.attnNorm),
      matrix(`${p}attn_q.weight`, layer.wq, shape.heads * shape.keyLength, d, type),
      matrix(`${p}attn_k.weight`, layer.wk, shape.kvHeads * shape.keyLength, d, type),
      matrix(`${p}attn_v.weight`, layer.wv, shape.kvHeads * shape.valueLength, d, type),
      matrix(`${p}attn_output.weight`, layer.wo, d, shape.heads * shape.valueLength, type),
      vector(`${p}ffn_norm.weight`, layer.ffnNorm),
      matrix(`${p}ffn_gate.weight`, layer.wGate, shape.feedForward, d, type),
      matrix(`${p}ffn_up.weight`, layer.wUp, shape.feedForward, d, type),
      matrix(`${p}ffn_down.weight`, layer.wDown, d, shape.feedForward, type),
    );
  });
  return tensors;
}

export interface WriteLlamaOptions {
  name?: string;
  type?: GgmlType;
}

export async function writeLlamaGguf(
  path: string,
  weights: LlamaWeights,
  options: WriteLlamaOptions = {},
): Promise<void> {
  const type = options.type ?? GgmlType.F32;
  await writeGguf(
    path,
    llamaMetadata(weights.shape, options.name ?? "compresskv-test-llama"),
    llamaTensors(weights, type),
  );
}
