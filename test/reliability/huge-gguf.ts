import { open } from "node:fs/promises";

/**
 * A GGUF whose header describes a llama model of several TiB while the file holds nothing after
 * the header: it is extended as a sparse file to the size the header claims, so it passes the
 * truncation check and only the memory estimate can refuse it.
 */
const ALIGNMENT = 32;
const F16 = 1;

class HeaderBytes {
  private parts: Buffer[] = [];
  length = 0;
  private push(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }
  u32(value: number): void {
    const part = Buffer.alloc(4);
    part.writeUInt32LE(value);
    this.push(part);
  }
  u64(value: number): void {
    const part = Buffer.alloc(8);
    part.writeBigUInt64LE(BigInt(value));
    this.push(part);
  }
  string(value: string): void {
    this.u64(Buffer.byteLength(value));
    this.push(Buffer.from(value));
  }
  bytes(): Buffer {
    return Buffer.concat([...this.parts, Buffer.alloc((ALIGNMENT - (this.length % ALIGNMENT)) % ALIGNMENT)]);
  }
}

export const HUGE_SHAPE = {
  layers: 120,
  embedding: 32_768,
  feedForward: 131_072,
  heads: 256,
  kvHeads: 32,
  vocabulary: 32_000,
};

/** Writes the file and returns the bytes its tensors claim. */
export async function writeHugeSparseGguf(path: string): Promise<number> {
  const { layers, embedding, feedForward, heads, kvHeads, vocabulary } = HUGE_SHAPE;
  const kvWidth = (embedding / heads) * kvHeads;
  const tensors: [string, number[]][] = [
    ["token_embd.weight", [embedding, vocabulary]],
    ["output_norm.weight", [embedding]],
    ["output.weight", [embedding, vocabulary]],
  ];
  for (let l = 0; l < layers; l++) {
    tensors.push(
      [`blk.${l}.attn_norm.weight`, [embedding]],
      [`blk.${l}.attn_q.weight`, [embedding, embedding]],
      [`blk.${l}.attn_k.weight`, [embedding, kvWidth]],
      [`blk.${l}.attn_v.weight`, [embedding, kvWidth]],
      [`blk.${l}.attn_output.weight`, [embedding, embedding]],
      [`blk.${l}.ffn_norm.weight`, [embedding]],
      [`blk.${l}.ffn_gate.weight`, [embedding, feedForward]],
      [`blk.${l}.ffn_up.weight`, [embedding, feedForward]],
      [`blk.${l}.ffn_down.weight`, [feedForward, embedding]],
    );
  }
  const u32Entries: [string, number][] = [
    ["llama.context_length", 8192],
    ["llama.embedding_length", embedding],
    ["llama.block_count", layers],
    ["llama.feed_forward_length", feedForward],
    ["llama.attention.head_count", heads],
    ["llama.attention.head_count_kv", kvHeads],
    ["llama.vocab_size", vocabulary],
  ];
  const header = new HeaderBytes();
  header.u32(0x46554747);
  header.u32(3);
  header.u64(tensors.length);
  header.u64(2 + u32Entries.length);
  for (const [key, value] of [
    ["general.architecture", "llama"],
    ["general.name", "claims-several-TiB"],
  ]) {
    header.string(key);
    header.u32(8);
    header.string(value);
  }
  for (const [key, value] of u32Entries) {
    header.string(key);
    header.u32(4);
    header.u32(value);
  }
  let offset = 0;
  for (const [name, dims] of tensors) {
    header.string(name);
    header.u32(dims.length);
    for (const dim of dims) header.u64(dim);
    const norm = dims.length === 1;
    header.u32(norm ? 0 : F16);
    header.u64(offset);
    const bytes = dims.reduce((a, b) => a * b, 1) * (norm ? 4 : 2);
    offset += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
  }
  const bytes = header.bytes();
  const file = await open(path, "w");
  try {
    await file.write(bytes);
    await file.truncate(bytes.length + offset);
  } finally {
    await file.close();
  }
  return offset;
}
