import type { GgufFileInfo } from "node-llama-cpp";

/** The attention shape of a model, read from its GGUF metadata. */
export interface ModelShape {
  architecture: string;
  layers: number;
  heads: number;
  kvHeads: number;
  keyLength: number;
  valueLength: number;
  trainContextSize: number;
  hasChatTemplate: boolean;
}

function numberOf(value: unknown, fallback: number): number {
  if (typeof value === "number") return value;
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return fallback;
}

export function modelShape(info: GgufFileInfo): ModelShape {
  const architecture = String(info.metadata.general.architecture);
  const section = (info.metadata as unknown as Record<string, Record<string, unknown>>)[architecture] ?? {};
  const attention = (section.attention ?? {}) as Record<string, unknown>;
  const embedding = numberOf(section.embedding_length, 0);
  const heads = numberOf(attention.head_count, 1);
  const headSize = heads > 0 ? embedding / heads : 0;
  return {
    architecture,
    layers: numberOf(section.block_count, 0),
    heads,
    kvHeads: numberOf(attention.head_count_kv, heads),
    keyLength: numberOf(attention.key_length, headSize),
    valueLength: numberOf(attention.value_length, headSize),
    trainContextSize: numberOf(section.context_length, 0),
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === "string",
  };
}

/** Bytes of KV cache one token takes in every layer, with F16 keys and values (the engine's cache type). */
export function kvBytesPerToken(shape: ModelShape): number {
  const bytesPerValue = 2;
  return shape.layers * shape.kvHeads * (shape.keyLength + shape.valueLength) * bytesPerValue;
}
