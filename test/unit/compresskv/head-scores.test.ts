import { describe, expect, it } from "vitest";
import {
  HeadScoreAccumulator,
  retrievalStepScore,
  semanticStepScore,
  topHeadsPerLayer,
  type AnswerSpan,
} from "../../../src-main/compresskv/head-scores";

// The answer sits at positions 3..5 with tokens 7, 8, 7.
const span: AnswerSpan = { positions: Int32Array.of(3, 4, 5), tokens: Int32Array.of(7, 8, 7) };
const focused = [0.125, 0, 0, 0.25, 0.375, 0.125, 0.0625, 0.0625]; // span mass 0.75, arg-max at 4
const uniform = new Array<number>(8).fill(0.125); // span mass 0.375, arg-max at 0 (lowest of equals)

describe("semanticStepScore", () => {
  it("multiplies the span mass by the number of span tokens equal to the emitted one", () => {
    expect(semanticStepScore(focused, span, 7)).toBe(2 * 0.75);
    expect(semanticStepScore(focused, span, 8)).toBe(0.75);
    expect(semanticStepScore(focused, span, 9)).toBe(0);
  });
});

describe("retrievalStepScore", () => {
  it("credits 1/|S| when the arg-max copies the emitted token", () => {
    expect(retrievalStepScore(focused, span, 8)).toBe(1 / 3);
    expect(retrievalStepScore(focused, span, 7)).toBe(0);
    expect(retrievalStepScore(uniform, span, 7)).toBe(0);
  });
  it("breaks arg-max ties towards the lower position", () => {
    expect(retrievalStepScore([0, 0, 0, 0.5, 0.5, 0, 0, 0], span, 7)).toBe(1 / 3);
  });
  it("looks only at the first rowLength cells", () => {
    expect(retrievalStepScore([0, 0, 0, 0.25, 0.375, 0, 0, 0.9], span, 8, 7)).toBe(1 / 3);
  });
});

describe("HeadScoreAccumulator", () => {
  it("averages per-probe sums over the probes whose answer was right", () => {
    const accumulator = new HeadScoreAccumulator({ nLayers: 1, nHead: 2 });
    const rows = Float32Array.from([...focused, ...uniform]);

    accumulator.beginProbe(span);
    accumulator.addLayerStep(0, 7, rows, 8);
    accumulator.addLayerStep(0, 8, rows, 8);
    accumulator.endProbe(true); // head 0: 1.5 + 0.75, 0 + 1/3; head 1: 0.75 + 0.375, 0

    accumulator.beginProbe(span);
    accumulator.addLayerStep(0, 7, rows, 8);
    accumulator.endProbe(false); // ignored

    accumulator.beginProbe(span);
    accumulator.addLayerStep(0, 9, rows, 8);
    accumulator.endProbe(true); // zeros

    expect(accumulator.countedProbes).toBe(2);
    expect(Array.from(accumulator.semanticScores())).toEqual([2.25 / 2, 1.125 / 2]);
    expect(Array.from(accumulator.retrievalScores())).toEqual([1 / 3 / 2, 0]);
  });
  it("keeps layers apart (layer-major layout)", () => {
    const accumulator = new HeadScoreAccumulator({ nLayers: 2, nHead: 1 });
    accumulator.beginProbe(span);
    accumulator.addLayerStep(1, 8, Float32Array.from(focused), 8);
    accumulator.endProbe(true);
    expect(Array.from(accumulator.semanticScores())).toEqual([0, 0.75]);
  });
  it("gives zeros before any probe counts, and refuses steps outside a probe", () => {
    const accumulator = new HeadScoreAccumulator({ nLayers: 1, nHead: 1 });
    expect(Array.from(accumulator.semanticScores())).toEqual([0]);
    expect(() => accumulator.addLayerStep(0, 7, Float32Array.from(focused), 8)).toThrow();
    expect(() => accumulator.beginProbe({ positions: Int32Array.of(1), tokens: Int32Array.of() })).toThrow(RangeError);
  });
});

describe("topHeadsPerLayer", () => {
  it("ranks each layer's heads by score, lower head id first on ties", () => {
    const scores = Float64Array.of(0.1, 0.5, 0.5, /* layer 1 */ 0.3, 0.2, 0.1);
    expect(topHeadsPerLayer(scores, { nLayers: 2, nHead: 3 }, 2)).toEqual([
      [1, 2],
      [0, 1],
    ]);
  });
});
