import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { EOS_ID } from "../../test/models/byte-vocabulary";
import { GgmlType } from "../../test/models/gguf-writer";
import { randomLlamaWeights, writeLlamaGguf, type LlamaShape } from "../../test/models/llama-model";

/** 12 layers of width 768 with 4 KV heads (GQA 3): about 104M parameters, trained context 32k. */
export const BENCH_MODEL_SHAPE: LlamaShape = {
  layers: 12,
  embedding: 768,
  heads: 12,
  kvHeads: 4,
  keyLength: 64,
  valueLength: 64,
  feedForward: 3072,
  contextLength: 32768,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
};

export function parameterCount(shape: LlamaShape): number {
  const { embedding: d, heads, kvHeads, keyLength, valueLength, feedForward: f } = shape;
  const attention = d * heads * keyLength + 2 * d * kvHeads * keyLength + heads * valueLength * d;
  return shape.layers * (attention + 3 * d * f + 2 * d);
}

/** Tokens the benchmark model never generates, so decoding runs as long as asked: newline and EOS. */
const NEVER_EMITTED = [10, EOS_ID];

/**
 * The benchmark model (random F16 weights), written once into `cacheFolder` and reused. Decoding
 * speed does not depend on what the weights say, only on their shapes.
 */
export async function benchModelPath(cacheFolder: string): Promise<string> {
  const path = join(cacheFolder, "bench-104m-f16.gguf");
  if (existsSync(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  const weights = randomLlamaWeights(BENCH_MODEL_SHAPE, 7);
  const d = BENCH_MODEL_SHAPE.embedding;
  for (const token of NEVER_EMITTED) weights.output.fill(0, token * d, (token + 1) * d);
  const partial = `${path}.partial`;
  await writeLlamaGguf(partial, weights, { name: "compresskv-bench-104m", type: GgmlType.F16 });
  await rename(partial, path);
  return path;
}
