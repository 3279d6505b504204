import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { randomLlamaWeights, TINY_LLAMA_SHAPE, writeLlamaGguf, type LlamaShape } from "./llama-model";

/** Writes a tiny random-weight llama GGUF (once per path) and returns its path. */
export async function makeTinyModel(path: string, seed = 1, shape: LlamaShape = TINY_LLAMA_SHAPE): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeLlamaGguf(path, randomLlamaWeights(shape, seed), { name: `tiny-random-llama-${seed}` });
  return path;
}
