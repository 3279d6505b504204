import type { Llama, LlamaContext } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttentionProbe, removeKeepingPositions } from "../../../src-main/engine/probe";
import { TINY_LLAMA_SHAPE, type LlamaWeights } from "../../models/llama-model";
import { referenceForward } from "../../models/reference-forward";
import {
  allHeads,
  byteTokens,
  loadProbeRuntime,
  loadTinyModel,
  maxAbsDifference,
  probeContext,
  type TinyModel,
} from "./probe-fixture";

const { llama, skipReason } = await loadProbeRuntime();
const { layers, heads, kvHeads, valueLength, embedding } = TINY_LLAMA_SHAPE;

/** Layer 0's V of one token, computed directly: Wv · rmsNorm(embedding) (the cache is F32). */
function layerZeroValue(weights: LlamaWeights, token: number): Float64Array {
  const x = weights.tokenEmbedding.subarray(token * embedding, (token + 1) * embedding);
  const mean = x.reduce((sum, value) => sum + value * value, 0) / embedding;
  const scale = 1 / Math.sqrt(mean + TINY_LLAMA_SHAPE.rmsEpsilon);
  const { attnNorm, wv } = weights.layers[0];
  const out = new Float64Array(kvHeads * valueLength);
  for (let r = 0; r < out.length; r++) {
    for (let c = 0; c < embedding; c++) out[r] += wv[r * embedding + c] * x[c] * scale * attnNorm[c];
  }
  return out;
}

describe.skipIf(skipReason !== undefined)("per-row capture (decode steps, calibration)", () => {
  let model: TinyModel;
  const contexts: LlamaContext[] = [];

  beforeAll(async () => {
    model = await loadTinyModel(llama as Llama, 13);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.dispose()));
    await model?.dispose();
  });

  async function freshContext(): Promise<LlamaContext> {
    const context = await probeContext(model.model);
    contexts.push(context);
    return context;
  }

  it("captures each decode step's attention row and V by position", async () => {
    const tokens = byteTokens(30, 10);
    const context = await freshContext();
    const sequence = context.getSequence();
    const probe = AttentionProbe.attach(context);
    const steps = 3;
    const prefix = tokens.length - steps;
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, prefix));
    removeKeepingPositions(sequence, [{ start: 6, end: 9 }]);
    const hidden = (query: number, key: number) => query >= prefix && key >= 6 && key < 9;

    const { attention } = referenceForward(model.weights, tokens, {
      visible: (_layer, query, key) => !hidden(query, key),
      captureAttention: true,
      attentionQueries: Array.from({ length: steps }, (_, i) => prefix + i),
      outputs: [],
    });

    for (let step = 0; step < steps; step++) {
      const position = prefix + step;
      probe.capture({ kind: "rows", layers: allHeads(layers, heads), fromPosition: position, values: true });
      await sequence.evaluateWithoutGeneratingNewTokens([tokens[position]]);
      const captured = probe.takeRows(sequence);

      const n = position + 1;
      expect(captured.n).toBe(n);
      expect(captured.rows.map((row) => row.position)).toEqual([position]);
      for (const layerRow of captured.rows[0].layers) {
        layerRow.heads.forEach((head, k) => {
          const expected = attention![layerRow.layer][head].subarray(step * tokens.length, step * tokens.length + n);
          expect(maxAbsDifference(layerRow.probabilities.subarray(k * n, (k + 1) * n), expected)).toBeLessThan(1e-4);
        });
      }

      const values = captured.values.get(0)!;
      expect(values.strides).toEqual({ cell: kvHeads * valueLength, kvHead: valueLength, dim: 1 });
      for (let p = 0; p < n; p++) {
        const row = values.data.subarray(p * kvHeads * valueLength, (p + 1) * kvHeads * valueLength);
        if (p >= 6 && p < 9) expect(row.every((value) => value === 0)).toBe(true);
        else
          expect(maxAbsDifference(row, layerZeroValue(model.weights, tokens[p])), `position ${p}`).toBeLessThan(1e-4);
      }
      expect(captured.values.size).toBe(layers);
    }
  });

  it("captures every row of a batch from the requested position on", async () => {
    const tokens = byteTokens(20, 12);
    const context = await freshContext();
    const sequence = context.getSequence();
    const probe = AttentionProbe.attach(context);
    probe.capture({ kind: "rows", layers: [{ layer: 1, heads: [3] }], fromPosition: 15 });
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
    const captured = probe.takeRows(sequence);
    expect(captured.rows.map((row) => row.position)).toEqual([15, 16, 17, 18, 19]);
    expect(captured.values.size).toBe(0);

    const { attention } = referenceForward(model.weights, tokens, {
      captureAttention: true,
      attentionQueries: [15, 16, 17, 18, 19],
      outputs: [],
    });
    captured.rows.forEach((row, r) => {
      expect(
        maxAbsDifference(row.layers[0].probabilities, attention![1][3].subarray(r * 20, (r + 1) * 20)),
      ).toBeLessThan(1e-4);
    });
  });
});
