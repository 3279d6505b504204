import type { Llama, LlamaContext } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttentionProbe, removeKeepingPositions } from "../../../src-main/engine/probe";
import { VOCABULARY_SIZE } from "../../models/byte-vocabulary";
import { llamaCppLogProbabilities } from "../../models/llama-cpp-logits";
import { TINY_LLAMA_SHAPE } from "../../models/llama-model";
import { referenceForward } from "../../models/reference-forward";
import {
  allHeads,
  byteTokens,
  loadProbeRuntime,
  loadTinyModel,
  maxAbsDifference,
  probeContext,
  sumRows,
  type TinyModel,
} from "./probe-fixture";

const { llama, skipReason } = await loadProbeRuntime();
const { layers, heads } = TINY_LLAMA_SHAPE;

const tokens = byteTokens(36, 9);
const PREFIX = 28;
const MASKED = [2, 3, 4, 10, 17, 18, 25];
const isMasked = (position: number) => MASKED.includes(position);

describe.skipIf(skipReason !== undefined)("per-layer masking of KV cells", () => {
  let model: TinyModel;
  const contexts: LlamaContext[] = [];

  beforeAll(async () => {
    model = await loadTinyModel(llama as Llama, 11);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.dispose()));
    await model?.dispose();
  });

  async function prefilled() {
    const context = await probeContext(model.model);
    contexts.push(context);
    const sequence = context.getSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, PREFIX));
    return { probe: AttentionProbe.attach(context), sequence };
  }

  it("masking cells in every layer gives the logits of physically removing them", async () => {
    const masked = await prefilled();
    for (let layer = 0; layer < layers; layer++) masked.probe.maskPositions(masked.sequence, layer, MASKED);
    const maskedRows = await llamaCppLogProbabilities(masked.sequence, tokens.slice(PREFIX), VOCABULARY_SIZE);

    const removed = await prefilled();
    removeKeepingPositions(
      removed.sequence,
      MASKED.map((position) => ({ start: position, end: position + 1 })),
    );
    const removedRows = await llamaCppLogProbabilities(removed.sequence, tokens.slice(PREFIX), VOCABULARY_SIZE);

    const unmasked = await prefilled();
    const unmaskedRows = await llamaCppLogProbabilities(unmasked.sequence, tokens.slice(PREFIX), VOCABULARY_SIZE);

    maskedRows.forEach((row, i) => {
      expect(maxAbsDifference(row, removedRows[i]), `row ${i}`).toBeLessThan(1e-3);
      // The masked cells mattered: without the mask the logits are elsewhere.
      expect(maxAbsDifference(row, unmaskedRows[i])).toBeGreaterThan(1e-2);
    });

    const reference = referenceForward(model.weights, tokens, {
      visible: (_layer, query, key) => query < PREFIX || !isMasked(key),
      outputs: tokens.slice(PREFIX).map((_, i) => PREFIX + i),
    }).logits;
    reference.forEach((logits, i) => {
      const logProbabilities = logSoftmax(logits);
      expect(maxAbsDifference(logProbabilities, maskedRows[i]), `reference row ${i}`).toBeLessThan(1e-3);
    });
  });

  it("masking one layer changes that layer's attention and leaves earlier layers' alone", async () => {
    const maskedLayer = 2;
    const everyHead = allHeads(layers, heads);
    const window = tokens.length - PREFIX;

    const masked = await prefilled();
    masked.probe.maskPositions(masked.sequence, maskedLayer, MASKED);
    const withMask = await masked.probe.evaluateWindow(masked.sequence, tokens.slice(PREFIX), {
      layers: everyHead,
      window,
    });

    const plain = await prefilled();
    const withoutMask = await plain.probe.evaluateWindow(plain.sequence, tokens.slice(PREFIX), {
      layers: everyHead,
      window,
    });

    for (let layer = 0; layer < maskedLayer; layer++)
      expect(withMask[layer].rowSums).toEqual(withoutMask[layer].rowSums);
    expect(maxAbsDifference(withMask[maskedLayer].rowSums, withoutMask[maskedLayer].rowSums)).toBeGreaterThan(1e-2);

    const n = tokens.length;
    const captured = withMask[maskedLayer];
    for (let k = 0; k < heads; k++) for (const position of MASKED) expect(captured.rowSums[k * n + position]).toBe(0);

    const queries = Array.from({ length: window }, (_, i) => PREFIX + i);
    const { attention } = referenceForward(model.weights, tokens, {
      visible: (layer, query, key) => layer !== maskedLayer || query < PREFIX || !isMasked(key),
      captureAttention: true,
      attentionQueries: queries,
      outputs: [],
    });
    for (const capture of withMask) {
      for (let k = 0; k < heads; k++) {
        const expected = sumRows(attention![capture.layer][k], window, n);
        expect(
          maxAbsDifference(capture.rowSums.subarray(k * n, (k + 1) * n), expected),
          `layer ${capture.layer} head ${k}`,
        ).toBeLessThan(1e-4);
      }
    }
  });

  it("clearing the masks restores full attention", async () => {
    const { probe, sequence } = await prefilled();
    probe.maskPositions(sequence, 0, MASKED);
    probe.clearMasks();
    const capture = await probe.evaluateWindow(sequence, tokens.slice(PREFIX), {
      layers: [{ layer: 0, heads: [0] }],
      window: 1,
    });
    for (const position of MASKED) expect(capture[0].rowSums[position]).toBeGreaterThan(0);
  });
});

function logSoftmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  let sum = 0;
  for (const value of logits) sum += Math.exp(value - max);
  const logSum = max + Math.log(sum);
  return Float64Array.from(logits, (value) => value - logSum);
}
