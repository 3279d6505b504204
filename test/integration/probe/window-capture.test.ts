import type { LlamaContext, Llama, Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WindowCapture } from "../../../src-main/compresskv";
import { AttentionProbe, KvCellMap, removeCompacting, removeKeepingPositions } from "../../../src-main/engine/probe";
import { referenceForward, type ReferenceForwardOptions } from "../../models/reference-forward";
import { TINY_LLAMA_SHAPE } from "../../models/llama-model";
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
const everyHead = allHeads(layers, heads);
const WINDOW = 8;

/** Reference window sums for every layer and head, with the window = the last `window` of `tokens`. */
function referenceWindowSums(model: TinyModel, tokens: Token[], window: number, options: ReferenceForwardOptions = {}) {
  const n = tokens.length;
  const queries = Array.from({ length: window }, (_, i) => n - window + i);
  const { attention } = referenceForward(model.weights, tokens, {
    ...options,
    captureAttention: true,
    attentionQueries: queries,
    outputs: [],
  });
  return attention!.map((perHead) => perHead.map((rows) => sumRows(rows, window, n)));
}

function expectMatchesReference(captures: WindowCapture[], expected: Float64Array[][], n: number): void {
  expect(captures.map((capture) => capture.layer)).toEqual(everyHead.map(({ layer }) => layer));
  for (const capture of captures) {
    expect(capture.n).toBe(n);
    capture.heads.forEach((head, k) => {
      const captured = capture.rowSums.subarray(k * n, (k + 1) * n);
      expect(
        maxAbsDifference(captured, expected[capture.layer][head]),
        `layer ${capture.layer} head ${head}`,
      ).toBeLessThan(1e-4);
    });
  }
}

describe.skipIf(skipReason !== undefined)("window attention capture against the reference forward pass", () => {
  let model: TinyModel;
  let context: LlamaContext;

  beforeAll(async () => {
    model = await loadTinyModel(llama as Llama, 5);
  });
  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
  });

  async function freshSequence(batchSize = 512) {
    await context?.dispose();
    context = await probeContext(model.model, batchSize);
    return { probe: AttentionProbe.attach(context), sequence: context.getSequence() };
  }

  it("captures every layer and head when the window is its own batch", async () => {
    const tokens = byteTokens(40, 1);
    const { probe, sequence } = await freshSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, -WINDOW));
    const captures = await probe.evaluateWindow(sequence, tokens.slice(-WINDOW), { layers: everyHead, window: WINDOW });
    expectMatchesReference(captures, referenceWindowSums(model, tokens, WINDOW), tokens.length);
  });

  it("captures the window as the tail of a larger batch", async () => {
    const tokens = byteTokens(40, 2);
    const { probe, sequence } = await freshSequence();
    const captures = await probe.evaluateWindow(sequence, tokens, { layers: everyHead, window: WINDOW });
    expectMatchesReference(captures, referenceWindowSums(model, tokens, WINDOW), tokens.length);
  });

  it("sums a window that spans several micro-batches", async () => {
    const tokens = byteTokens(45, 3);
    const { probe, sequence } = await freshSequence(16);
    const window = 20;
    const captures = await probe.evaluateWindow(sequence, tokens, { layers: everyHead, window });
    expectMatchesReference(captures, referenceWindowSums(model, tokens, window), tokens.length);
  });

  it("captures only the requested layers and heads, in request order", async () => {
    const tokens = byteTokens(30, 4);
    const { probe, sequence } = await freshSequence();
    const request = [
      { layer: 3, heads: [6, 1] },
      { layer: 1, heads: [0] },
    ];
    const captures = await probe.evaluateWindow(sequence, tokens, { layers: request, window: WINDOW });
    const expected = referenceWindowSums(model, tokens, WINDOW);
    expect(captures.map(({ layer, heads }) => ({ layer, heads }))).toEqual(request);
    for (const capture of captures) {
      capture.heads.forEach((head, k) => {
        const captured = capture.rowSums.subarray(k * capture.n, (k + 1) * capture.n);
        expect(maxAbsDifference(captured, expected[capture.layer][head])).toBeLessThan(1e-4);
      });
    }
  });

  it("maps cells to positions after removals that keep positions", async () => {
    const tokens = byteTokens(40, 6);
    const prefix = 32;
    const removed = [
      { start: 3, end: 7 },
      { start: 12, end: 15 },
    ];
    const isRemoved = (position: number) => removed.some(({ start, end }) => position >= start && position < end);
    const { probe, sequence } = await freshSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, prefix));
    removeKeepingPositions(sequence, removed);

    const kept = Array.from({ length: prefix }, (_, p) => p).filter((p) => !isRemoved(p));
    expect([...KvCellMap.read(sequence).positions()]).toEqual(kept);

    // The refill lands in the freed cells, so cells and positions now disagree.
    const captures = await probe.evaluateWindow(sequence, tokens.slice(prefix), { layers: everyHead, window: WINDOW });
    const map = KvCellMap.read(sequence);
    expect(Array.from({ length: tokens.length }, (_, p) => map.cellOf(p) === p).every(Boolean)).toBe(false);
    const expected = referenceWindowSums(model, tokens, WINDOW, {
      visible: (_layer, query, key) => query < prefix || !isRemoved(key),
    });
    expectMatchesReference(captures, expected, tokens.length);
  });

  it("maps cells to the shifted positions after a compacting removal", async () => {
    const tokens = byteTokens(40, 7);
    const prefix = 32;
    const { probe, sequence } = await freshSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, prefix));
    await removeCompacting(sequence, [{ start: 5, end: 9 }]);
    expect([...KvCellMap.read(sequence).positions()]).toEqual(Array.from({ length: prefix - 4 }, (_, p) => p));
    expect(sequence.nextTokenIndex).toBe(prefix - 4);

    const captures = await probe.evaluateWindow(sequence, tokens.slice(prefix), { layers: everyHead, window: WINDOW });
    const n = tokens.length - 4;
    for (const capture of captures) {
      expect(capture.n).toBe(n);
      capture.heads.forEach((_, k) => {
        const row = capture.rowSums.subarray(k * n, (k + 1) * n);
        // Each of the window's rows is a softmax over the positions it sees.
        expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(WINDOW, 4);
        // The last window row sees every position, so none is left unmapped.
        expect(row.every((p) => p > 0)).toBe(true);
      });
    }
  });

  it("refuses to erase position 0", async () => {
    const { sequence } = await freshSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(byteTokens(10, 8));
    expect(() => removeKeepingPositions(sequence, [{ start: 0, end: 2 }])).toThrow(/position 0/);
    await expect(removeCompacting(sequence, [{ start: 0, end: 2 }])).rejects.toThrow(/position 0/);
  });
});
