import { describe, expect, it } from "vitest";
import { selectTokens, type MethodContext } from "../../../src-main/compresskv/method";
import { createMethod, methodRegistry, withUniformLayerBudgets } from "../../../src-main/compresskv/methods";
import type { CompressionRequest, HeadProfile, WindowCapture } from "../../../src-main/compresskv/types";
import { forEachCase } from "./property";

const shape = { nLayers: 2, nHead: 4, nHeadKv: 2 };
const profile: HeadProfile = {
  semanticHeads: [
    [2, 0, 1, 3],
    [3, 1, 0, 2],
  ],
  retrievalHeads: [
    [3, 2, 0, 1],
    [0, 2, 1, 3],
  ],
  layerWeights: [0.25, 0.75],
};
const context: MethodContext = { shape, profile, headsPerLayer: 1, seed: 42 };

// n = 10, window 2, one sink: candidates are positions 1..7; B = 5 leaves 2 ranked slots per layer.
const request: CompressionRequest = { n: 10, budget: 5, window: 2, sinks: 1, pooling: { kind: "avg", kernel: 1 } };

/** Head h of every layer puts its window mass on position h + 1 (and some on the window itself). */
function captureAllHeads(layer: number): WindowCapture {
  const rowSums = new Float32Array(4 * 10);
  for (let head = 0; head < 4; head++) {
    rowSums[head * 10 + head + 1] = 4;
    rowSums[head * 10 + 9] = 4;
  }
  return { layer, heads: [0, 1, 2, 3], n: 10, rowSums };
}
const captures = [captureAllHeads(0), captureAllHeads(1)];
const keptOf = (name: Parameters<typeof createMethod>[0], req = request) =>
  selectTokens(createMethod(name, context), req, captures).map((layer) => Array.from(layer.kept));

describe("method registry", () => {
  it("lists every method once, with a label and its needs", () => {
    expect(methodRegistry.map((method) => method.name)).toEqual([
      "full",
      "streaming-llm",
      "snapkv",
      "pyramidkv",
      "retrieval-heads",
      "compresskv",
      "random",
    ]);
    expect(methodRegistry.filter((method) => !method.needsAttention).map((method) => method.name)).toEqual([
      "full",
      "streaming-llm",
      "random",
    ]);
    expect(methodRegistry.filter((method) => method.needsProfile).map((method) => method.name)).toEqual([
      "retrieval-heads",
      "compresskv",
    ]);
    for (const method of methodRegistry) expect(method.label.length).toBeGreaterThan(0);
  });
  it("built methods carry their definition's name", () => {
    for (const definition of methodRegistry) expect(definition.create(context).name).toBe(definition.name);
  });
  it("head-guided methods refuse to run without a profile", () => {
    expect(() => createMethod("compresskv", { shape })).toThrow(/profile/);
    expect(() => createMethod("retrieval-heads", { shape })).toThrow(/profile/);
  });
});

describe("captured heads", () => {
  it("asks for nothing, all heads, or the profile's top heads", () => {
    expect(createMethod("streaming-llm", context).capturedHeads(0)).toEqual([]);
    expect(createMethod("snapkv", context).capturedHeads(1)).toEqual([0, 1, 2, 3]);
    expect(createMethod("compresskv", context).capturedHeads(1)).toEqual([3]);
    expect(createMethod("retrieval-heads", { ...context, headsPerLayer: 2 }).capturedHeads(0)).toEqual([3, 2]);
  });
});

describe("selections", () => {
  it("full cache keeps everything", () => {
    expect(keptOf("full")).toEqual([Array.from({ length: 10 }, (_, j) => j), Array.from({ length: 10 }, (_, j) => j)]);
  });
  it("StreamingLLM keeps the sinks and the most recent tokens", () => {
    expect(keptOf("streaming-llm")).toEqual([
      [0, 6, 7, 8, 9],
      [0, 6, 7, 8, 9],
    ]);
  });
  it("random keeps the same seeded draw in every layer", () => {
    // Candidates 1..7 draw Mulberry32(42): 0.601, 0.448, 0.852, 0.670, 0.175, ... for positions 0, 1, 2, 3, 4, ...
    // position 0 is a sink; among 1..7 the two best are 2 (0.852) and 3 (0.670).
    expect(keptOf("random")).toEqual([
      [0, 2, 3, 8, 9],
      [0, 2, 3, 8, 9],
    ]);
  });
  it("SnapKV averages all heads: equal scores, lower positions win", () => {
    // Every head contributes 1 to one of positions 1..4: all four tie, 1 and 2 win.
    expect(keptOf("snapkv")).toEqual([
      [0, 1, 2, 8, 9],
      [0, 1, 2, 8, 9],
    ]);
  });
  it("CompressKV follows each layer's semantic head and adaptive budgets", () => {
    // B = 5 is below the floor, so the floor drops to 5 and budgets are uniform; heads 2 and 3 lead.
    expect(keptOf("compresskv")).toEqual([
      [0, 1, 3, 8, 9],
      [0, 1, 4, 8, 9],
    ]);
  });
  it("retrieval-head guided follows each layer's top-1 retrieval head", () => {
    expect(keptOf("retrieval-heads")).toEqual([
      [0, 1, 4, 8, 9],
      [0, 1, 2, 8, 9],
    ]);
  });
  it("CompressKV budgets follow the layer weights", () => {
    const method = createMethod("compresskv", context);
    // spread = 2*64 - 64 = 64: 32 + 16, 32 + 48
    expect(Array.from(method.layerBudgets({ ...request, n: 1000, budget: 64 }))).toEqual([48, 80]);
  });
  it("CompressKV with uniform layer budgets keeps its heads and gives every layer B", () => {
    const method = withUniformLayerBudgets(createMethod("compresskv", context), shape.nLayers);
    expect(Array.from(method.layerBudgets({ ...request, n: 1000, budget: 64 }))).toEqual([64, 64]);
    expect(method.name).toBe("compresskv");
    expect(method.capturedHeads(1)).toEqual([3]);
    expect(selectTokens(method, request, captures).map((layer) => Array.from(layer.kept))).toEqual(
      keptOf("compresskv"),
    );
  });
  it("PyramidKV gives shallow layers more", () => {
    // c = 40, low = 2, high = 78
    expect(
      Array.from(createMethod("pyramidkv", context).layerBudgets({ ...request, n: 1000, budget: 48, window: 8 })),
    ).toEqual([86, 10]);
  });
  it("attention methods refuse to run without the capture", () => {
    expect(() => selectTokens(createMethod("snapkv", context), request, [])).toThrow(/window attention/);
  });
  it("scores only the selected layers; the others keep the sinks and the window (budget = that set)", () => {
    // Layer 0 stands for a sliding-window layer: no capture, not scored, nothing ranked.
    const selections = selectTokens(
      createMethod("compresskv", context),
      request,
      [undefined, captures[1]],
      new Set([1]),
    );
    expect(selections.map((layer) => Array.from(layer.kept))).toEqual([
      [0, 8, 9],
      [0, 1, 4, 8, 9],
    ]);
    expect(selections.map((layer) => [layer.budget, layer.ranked.length])).toEqual([
      [3, 0],
      [5, 2],
    ]);
  });
  it("scales the selected layers' budgets to average B, keeping the method's proportions", () => {
    const long = { ...request, n: 1000, budget: 48, window: 8 };
    const flat = (layer: number): WindowCapture => ({
      layer,
      heads: [0, 1, 2, 3],
      n: 1000,
      rowSums: new Float32Array(4000),
    });
    const pyramid = createMethod("pyramidkv", context);
    // PyramidKV gives [86, 10] (above): layer 1 alone is scaled to the budget; both layers stay as they are.
    const alone = selectTokens(pyramid, long, [undefined, flat(1)], new Set([1]));
    expect(alone.map((layer) => layer.budget)).toEqual([9, 48]);
    // Equal scores: the lowest candidates (1..39) fill layer 1's 48 - 9 protected.
    expect(Array.from(alone[1].ranked)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect(selectTokens(pyramid, long, [flat(0), flat(1)], new Set([0, 1])).map((layer) => layer.budget)).toEqual([
      86, 10,
    ]);
  });
});

describe("properties of every method", () => {
  it("sinks and window always kept, budgets met, same input same output", () => {
    forEachCase(40, (random) => {
      const nLayers = random.int(1, 4);
      const nHeadKv = random.int(1, 2);
      const nHead = nHeadKv * random.int(1, 3);
      const n = random.int(1, 400);
      const caseShape = { nLayers, nHead, nHeadKv };
      const rankedHeads = () =>
        Array.from({ length: nLayers }, () =>
          Array.from({ length: nHead }, (_, h) => h).sort(() => random.float() - 0.5),
        );
      const caseProfile: HeadProfile = {
        semanticHeads: rankedHeads(),
        retrievalHeads: rankedHeads(),
        layerWeights: Array.from({ length: nLayers }, () => random.float()),
      };
      const caseRequest: CompressionRequest = {
        n,
        budget: random.int(1, 200),
        window: random.int(0, 10),
        sinks: random.int(0, 6),
        pooling: { kind: random.float() < 0.5 ? "avg" : "max", kernel: 2 * random.int(0, 3) + 1 },
      };
      const caseCaptures = Array.from({ length: nLayers }, (_, layer) => ({
        layer,
        heads: Array.from({ length: nHead }, (_, h) => h),
        n,
        rowSums: new Float32Array(nHead * n).map(() => (random.float() < 0.2 ? random.float() : 0)),
      }));
      for (const definition of methodRegistry) {
        const method = definition.create({ shape: caseShape, profile: caseProfile, seed: random.seed });
        const selections = selectTokens(method, caseRequest, caseCaptures);
        const budgets = method.layerBudgets(caseRequest);
        expect(selectTokens(method, caseRequest, caseCaptures)).toEqual(selections);
        selections.forEach((selection, layer) => {
          const kept = new Set(selection.kept);
          for (let j = 0; j < Math.min(caseRequest.sinks, n); j++) expect(kept.has(j)).toBe(true);
          for (let j = Math.max(0, n - caseRequest.window); j < n; j++) expect(kept.has(j)).toBe(true);
          const protectedTotal = Math.min(n, caseRequest.window + caseRequest.sinks);
          expect(selection.kept.length).toBe(Math.min(n, Math.max(budgets[layer], protectedTotal)));
        });
      }
    });
  });
});
