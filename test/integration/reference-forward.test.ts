import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VOCABULARY_SIZE } from "../models/byte-vocabulary";
import { argMax, llamaCppLogProbabilities, maxLogitDifference } from "../models/llama-cpp-logits";
import { float16BitsToFloat32, float32ToFloat16Bits } from "../models/gguf-writer";
import { randomLlamaWeights, SeededRandom, TINY_LLAMA_SHAPE, writeLlamaGguf } from "../models/llama-model";
import { referenceForward } from "../models/reference-forward";
import { roundToFloat16 } from "../models/reference-weights";

const SEED = 3;
const weights = randomLlamaWeights(TINY_LLAMA_SHAPE, SEED);
const tokens = Array.from({ length: 48 }, (_, i) => (i * 37 + 11) % 256);

let directory: string;
let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "reference-forward-"));
  const path = join(directory, "tiny.gguf");
  await writeLlamaGguf(path, weights);
  llama = await getLlama({ gpu: false });
  model = await llama.loadModel({ modelPath: path });
});

afterAll(async () => {
  await model?.dispose();
  await rm(directory, { recursive: true, force: true });
});

async function llamaCppRows(cacheType: "F32" | "F16"): Promise<Float64Array[]> {
  const context = await model.createContext({
    contextSize: 256,
    flashAttention: false,
    experimentalKvCacheKeyType: cacheType,
    experimentalKvCacheValueType: cacheType,
  });
  try {
    return await llamaCppLogProbabilities(context.getSequence(), tokens, VOCABULARY_SIZE);
  } finally {
    await context.dispose();
  }
}

function compare(
  reference: Float32Array[],
  llamaCpp: Float64Array[],
): { maxDifference: number; argMaxAgreements: number } {
  let maxDifference = 0;
  let argMaxAgreements = 0;
  llamaCpp.forEach((row, i) => {
    maxDifference = Math.max(maxDifference, maxLogitDifference(reference[i], row));
    if (argMax(row) === argMax(reference[i])) argMaxAgreements++;
  });
  return { maxDifference, argMaxAgreements };
}

describe("reference forward against llama.cpp (tiny random llama, CPU)", () => {
  it("matches logits with an F32 KV cache", async () => {
    const reference = referenceForward(weights, tokens).logits;
    const { maxDifference, argMaxAgreements } = compare(reference, await llamaCppRows("F32"));
    expect(argMaxAgreements).toBe(tokens.length);
    expect(maxDifference).toBeLessThan(1e-3);
  });

  it("matches logits with llama.cpp's default F16 KV cache when the cache rounding is emulated", async () => {
    // Residual differences come from values that sit on an F16 rounding boundary, where llama.cpp's
    // F32 arithmetic and this float64 pass round to neighbouring F16 values.
    const reference = referenceForward(weights, tokens, { emulateF16: { kvCache: true } }).logits;
    const { maxDifference, argMaxAgreements } = compare(reference, await llamaCppRows("F16"));
    expect(argMaxAgreements).toBe(tokens.length);
    expect(maxDifference).toBeLessThan(1e-2);
  });
});

describe("reference forward properties", () => {
  it("rounds to F16 exactly as the GGUF writer stores values", () => {
    const random = new SeededRandom(5);
    const special = [
      0,
      -0,
      1,
      -1,
      65504,
      65519.99,
      65520,
      -70000,
      2 ** -24,
      2 ** -25,
      3 * 2 ** -25,
      2 ** -14,
      1 + 2 ** -11,
    ];
    const values = [
      ...special,
      ...Array.from({ length: 20_000 }, () => random.normal() * 10 ** (random.uniform() * 14 - 9)),
    ];
    for (const value of values) expect(roundToFloat16(value)).toBe(float16BitsToFloat32(float32ToFloat16Bits(value)));
  });

  const short = tokens.slice(0, 12);

  it("depends on relative positions only (RoPE)", () => {
    const base = referenceForward(weights, short).logits;
    const shifted = referenceForward(weights, short, { positions: short.map((_, i) => i + 100) }).logits;
    base.forEach((row, i) => {
      row.forEach((value, v) => {
        expect(shifted[i][v]).toBeCloseTo(value, 2);
      });
    });
  });

  it("a token that sees only itself gives the logits of that token alone", () => {
    const last = short.length - 1;
    const masked = referenceForward(weights, short, {
      visible: (_layer, query, key) => query !== last || key === last,
      positions: short.map((_, i) => i),
      outputs: [last],
    }).logits[0];
    const alone = referenceForward(weights, [short[last]], { positions: [last] }).logits[0];
    masked.forEach((value, v) => {
      expect(value).toBeCloseTo(alone[v], 9);
    });
  });

  it("captures attention rows that sum to one over visible, causal keys", () => {
    const { attention } = referenceForward(weights, short, {
      captureAttention: true,
      attentionQueries: [0, 5, 11],
      visible: (_layer, _query, key) => key !== 2,
    });
    expect(attention).toHaveLength(TINY_LLAMA_SHAPE.layers);
    for (const layer of attention!) {
      expect(layer).toHaveLength(TINY_LLAMA_SHAPE.heads);
      for (const probabilities of layer) {
        [0, 5, 11].forEach((query, row) => {
          const values = probabilities.subarray(row * short.length, (row + 1) * short.length);
          expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
          values.forEach((p, key) => {
            if (key > query || key === 2) expect(p).toBe(0);
          });
        });
      }
    }
  });
});
