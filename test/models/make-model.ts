import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { randomLlamaWeights, TINY_LLAMA_SHAPE, writeLlamaGguf, type LlamaShape } from "./llama-model";

export interface TinyModelOptions {
  shape?: LlamaShape;
  /**
   * Tokens greedy decoding must never pick: their output rows are zeroed, so their logit is
   * exactly 0 while the largest of the other random logits is positive (all negative has
   * probability 2^-257). Used to get long, uninterrupted generations (no EOS, no newline).
   */
  neverEmit?: number[];
}

/** Writes a tiny random-weight llama GGUF and returns its path. */
export async function makeTinyModel(
  path: string,
  seed = 1,
  options: TinyModelOptions | LlamaShape = {},
): Promise<string> {
  const { shape = TINY_LLAMA_SHAPE, neverEmit = [] } = "layers" in options ? { shape: options } : options;
  const weights = randomLlamaWeights(shape, seed);
  for (const token of neverEmit) weights.output.fill(0, token * shape.embedding, (token + 1) * shape.embedding);
  await mkdir(dirname(path), { recursive: true });
  await writeLlamaGguf(path, weights, { name: `tiny-random-llama-${seed}` });
  return path;
}
