import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttentionProbe,
  contextProbeAvailability,
  KvCellMap,
  type RowsCapture,
  removeCompacting,
  removeKeepingPositions,
} from "../../../src-main/engine/probe";
import { realModel, rIntroMissing, rIntroPages } from "../real/real-model-fixture";
import { loadProbeRuntime } from "./probe-fixture";

/**
 * Gemma 3 270M keeps 15 of its 18 layers in a 512-token sliding window (llama.cpp's interleaved SWA
 * cache: a global cache for layers 5, 11 and 17, a window cache for the others). The probe must
 * index each layer's attention by the cells of the cache that layer reads, mask and remove in the
 * global cache only, and keep both caches' positions one sequence when compacting.
 */
const { llama, skipReason } = await loadProbeRuntime();
const gemma = realModel("gemma-3-270m");
const skip = skipReason ?? ("missing" in gemma ? gemma.missing : rIntroMissing());

const PROMPT_TOKENS = 1500;
const WINDOW = 512;
const GLOBAL_LAYERS = [5, 11, 17];
const HEADS = [0, 1, 2, 3];

/** Per head, the probabilities of one layer at the captured row, by position. */
function headRows(capture: RowsCapture, layer: number): Float32Array[] {
  expect(capture.rows).toHaveLength(1);
  const row = capture.rows[0].layers.find((candidate) => candidate.layer === layer)!;
  return row.heads.map((_, k) => row.probabilities.subarray(k * capture.n, (k + 1) * capture.n));
}

const sum = (values: ArrayLike<number>, from = 0, to = values.length) => {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i];
  return total;
};

describe.skipIf(skip !== undefined)("the probe on a sliding-window model (Gemma 3 270M, R-intro text)", () => {
  let model: LlamaModel;
  let prompt: Token[];
  const contexts: LlamaContext[] = [];

  beforeAll(async () => {
    model = await llama.loadModel({ modelPath: (gemma as { path: string }).path });
    prompt = model.tokenize(await rIntroPages(8, 10)).slice(0, PROMPT_TOKENS);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.dispose()));
    await model?.dispose();
  });

  async function prefilled(contextSize = 2048): Promise<{ sequence: LlamaContextSequence; probe: AttentionProbe }> {
    const context = await model.createContext({ contextSize, flashAttention: false });
    contexts.push(context);
    const sequence = context.getSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt);
    return { sequence, probe: AttentionProbe.attach(context) };
  }

  /** Evaluates one more token and returns the attention of its row in `layers`. */
  async function nextRow(sequence: LlamaContextSequence, probe: AttentionProbe, layers: number[]) {
    probe.capture({ kind: "rows", layers: layers.map((layer) => ({ layer, heads: HEADS })), fromPosition: 0 });
    await sequence.evaluateWithoutGeneratingNewTokens([prompt[0]]);
    return probe.takeRows(sequence);
  }

  it("reports the layout: which layers read the window cache, and its width", async () => {
    const { sequence, probe } = await prefilled();
    expect(contextProbeAvailability(sequence.context)).toEqual({ available: true });
    expect(probe.layout.layers).toBe(18);
    expect(probe.layout.windowSize).toBe(WINDOW);
    expect(probe.layout.globalLayers).toEqual(GLOBAL_LAYERS);
    expect(probe.layout.windowLayers).toHaveLength(15);
    // The global cache holds every position; the window cache only the tail (its cells are reused).
    expect([...KvCellMap.read(sequence, "global").positions()]).toEqual(prompt.map((_, position) => position));
    const window = KvCellMap.read(sequence, "window").positions();
    expect(window.at(-1)).toBe(PROMPT_TOKENS - 1);
    expect(window[0]).toBeGreaterThan(0);
    expect(window[0]).toBeLessThanOrEqual(PROMPT_TOKENS - WINDOW);
  });

  it("captures a window layer over its window and a global layer over the whole prompt, by position", async () => {
    const { sequence, probe } = await prefilled();
    const capture = await nextRow(sequence, probe, [0, 5]);
    const query = PROMPT_TOKENS;
    expect(capture.rows[0].position).toBe(query);
    for (const row of headRows(capture, 0)) {
      expect(sum(row)).toBeCloseTo(1, 3);
      // Standard SWA: a query at q sees positions q - 511 .. q.
      expect(sum(row, 0, query - WINDOW + 1)).toBe(0);
    }
    for (const row of headRows(capture, 5)) {
      expect(sum(row)).toBeCloseTo(1, 3);
    }
    // A global layer attends before the window (the sink at position 0 alone takes a share).
    const early = headRows(capture, 5).map((row) => sum(row, 0, query - WINDOW + 1));
    expect(Math.max(...early)).toBeGreaterThan(0.01);
  });

  it("masks change only the masked global layer; window layers cannot be masked", async () => {
    const layers = [0, 5, 6, 11];
    const plain = await prefilled();
    const reference = await nextRow(plain.sequence, plain.probe, layers);

    const masked = await prefilled();
    const hidden = Array.from({ length: 300 }, (_, i) => 1 + i);
    masked.probe.maskPositions(masked.sequence, 11, hidden);
    expect(() => masked.probe.maskPositions(masked.sequence, 6, hidden)).toThrow(/sliding-window cache/);
    const capture = await nextRow(masked.sequence, masked.probe, layers);

    for (const layer of [0, 5, 6]) {
      expect(headRows(capture, layer)).toEqual(headRows(reference, layer));
    }
    const before = headRows(reference, 11);
    headRows(capture, 11).forEach((row, k) => {
      expect(sum(row, 1, 301)).toBe(0);
      // The other positions keep their share, renormalised over what is left.
      const left = 1 - sum(before[k], 1, 301);
      for (const position of [0, 400, 1000, PROMPT_TOKENS - 1, PROMPT_TOKENS]) {
        expect(row[position]).toBeCloseTo(before[k][position] / left, 4);
      }
    });
  });

  it("removal keeping positions frees global cells only: window layers keep their window", async () => {
    const plain = await prefilled();
    const reference = await nextRow(plain.sequence, plain.probe, [0, 5]);

    const removed = await prefilled();
    const windowBefore = [...KvCellMap.read(removed.sequence, "window").positions()];
    const start = PROMPT_TOKENS - 400;
    removeKeepingPositions(removed.sequence, [
      { start: 100, end: 200 },
      { start, end: start + 100 },
    ]);
    const global = [...KvCellMap.read(removed.sequence, "global").positions()];
    expect(global).toEqual(
      prompt.map((_, p) => p).filter((p) => !(p >= 100 && p < 200) && !(p >= start && p < start + 100)),
    );
    expect([...KvCellMap.read(removed.sequence, "window").positions()]).toEqual(windowBefore);

    const capture = await nextRow(removed.sequence, removed.probe, [0, 5]);
    // Layer 0 reads only the window cache and comes before any global layer: the very same attention.
    expect(headRows(capture, 0)).toEqual(headRows(reference, 0));
    for (const row of headRows(capture, 5)) {
      expect(sum(row, 100, 200) + sum(row, start, start + 100)).toBe(0);
      expect(sum(row)).toBeCloseTo(1, 3);
    }
  });

  it("compacting removal shifts both caches alike and the sequence goes on from there", async () => {
    const { sequence, probe } = await prefilled();
    const windowBefore = KvCellMap.read(sequence, "window").positions();
    await removeCompacting(sequence, [
      { start: 10, end: 20 },
      { start: 40, end: 45 },
    ]);
    expect(sequence.nextTokenIndex).toBe(PROMPT_TOKENS - 15);
    expect(sequence.contextTokens).toEqual([...prompt.slice(0, 10), ...prompt.slice(20, 40), ...prompt.slice(45)]);
    expect([...KvCellMap.read(sequence, "global").positions()]).toEqual(
      Array.from({ length: PROMPT_TOKENS - 15 }, (_, p) => p),
    );
    expect([...KvCellMap.read(sequence, "window").positions()]).toEqual([...windowBefore].map((p) => p - 15));

    const capture = await nextRow(sequence, probe, [0, 5]);
    expect(capture.rows[0].position).toBe(PROMPT_TOKENS - 15);
    for (const layer of [0, 5]) {
      for (const row of headRows(capture, layer)) expect(sum(row)).toBeCloseTo(1, 3);
    }
  });

  it("erasing a chat longer than the window cache leaves the compressed document as it was", async () => {
    // node-llama-cpp's erase would re-evaluate every token it lists here (the removed ones too).
    const { sequence } = await prefilled(4096);
    removeKeepingPositions(sequence, [{ start: 100, end: 600 }]);
    const kept = [...KvCellMap.read(sequence, "global").positions()];
    const chat = prompt.slice(0, 1400);
    await sequence.evaluateWithoutGeneratingNewTokens(chat);
    expect(KvCellMap.read(sequence, "window").positions()[0]).toBeGreaterThan(PROMPT_TOKENS);
    await removeCompacting(sequence, [{ start: PROMPT_TOKENS, end: PROMPT_TOKENS + chat.length }]);
    expect(sequence.nextTokenIndex).toBe(PROMPT_TOKENS);
    expect([...KvCellMap.read(sequence, "global").positions()]).toEqual(kept);
    expect(KvCellMap.read(sequence, "window").positions()).toHaveLength(0);
  });
});
