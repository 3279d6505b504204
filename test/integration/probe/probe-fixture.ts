import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import { probeAvailability } from "../../../src-main/engine/probe";
import { randomLlamaWeights, TINY_LLAMA_SHAPE, writeLlamaGguf, type LlamaWeights } from "../../models/llama-model";

/**
 * The runtime the probe tests use (the build scripts/setup.mjs made, on whatever backend it chose),
 * and whether its binary carries the probe. In CI the patched build must be there, so its absence
 * fails the tests; elsewhere they are skipped with the reason.
 */
export async function loadProbeRuntime(): Promise<{ llama: Llama; skipReason: string | undefined }> {
  const llama = await getLlama("lastBuild", { logLevel: LlamaLogLevel.error });
  const availability = probeAvailability(llama);
  if (availability.available) return { llama, skipReason: undefined };
  const inCi = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
  if (inCi) throw new Error(`CI needs the patched addon: ${availability.reason}`);
  console.warn(`probe tests skipped: ${availability.reason}`);
  return { llama, skipReason: availability.reason };
}

export interface TinyModel {
  weights: LlamaWeights;
  model: LlamaModel;
  dispose(): Promise<void>;
}

/** A tiny random llama written with F32 matrices, so llama.cpp and the reference agree to ~1e-6. */
export async function loadTinyModel(llama: Llama, seed: number): Promise<TinyModel> {
  const directory = await mkdtemp(join(tmpdir(), "probe-"));
  const weights = randomLlamaWeights(TINY_LLAMA_SHAPE, seed);
  const path = join(directory, "tiny.gguf");
  await writeLlamaGguf(path, weights);
  const model = await llama.loadModel({ modelPath: path });
  return {
    weights,
    model,
    async dispose() {
      await model.dispose();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A context the probe can serve: flash attention off, F32 KV cache (exact against the reference). */
export function probeContext(model: LlamaModel, batchSize = 512): Promise<LlamaContext> {
  return model.createContext({
    contextSize: 256,
    batchSize,
    flashAttention: false,
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
  });
}

/** Deterministic byte tokens (the tiny models use a byte vocabulary). */
export function byteTokens(length: number, salt: number): Token[] {
  return Array.from({ length }, (_, i) => ((i * 37 + salt * 101 + 11) % 256) as Token);
}

/** Every query head of every layer. */
export function allHeads(layers: number, heads: number): { layer: number; heads: number[] }[] {
  return Array.from({ length: layers }, (_, layer) => ({ layer, heads: Array.from({ length: heads }, (_, h) => h) }));
}

/** Sum of the reference's attention rows for one layer and head: [rows][n] -> [n]. */
export function sumRows(attention: Float32Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let key = 0; key < n; key++) out[key] += attention[r * n + key];
  return out;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}
