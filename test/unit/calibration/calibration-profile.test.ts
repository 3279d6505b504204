import { describe, expect, it } from "vitest";
import { headRankings, topSemanticHeads } from "../../../src-main/calibration/calibration-profile";

const shape = { nLayers: 2, nHead: 3, nHeadKv: 1 };

describe("profile rankings", () => {
  it("rank every head of each layer, best first, ties to the lower head, and keep the matrices", () => {
    const rankings = headRankings({
      shape,
      semanticScores: Float64Array.from([0.1, 0.7, 0.2, 0, 0.5, 0.5]),
      retrievalScores: Float64Array.from([0, 0, 1, 0.3, 0.2, 0.1]),
      layerWeights: Float64Array.from([0.4, 0.6]),
    });
    expect(rankings).toEqual({
      semanticHeads: [
        [1, 2, 0],
        [1, 2, 0],
      ],
      retrievalHeads: [
        [2, 0, 1],
        [0, 1, 2],
      ],
      layerWeights: [0.4, 0.6],
      semanticScores: [
        [0.1, 0.7, 0.2],
        [0, 0.5, 0.5],
      ],
      retrievalScores: [
        [0, 0, 1],
        [0.3, 0.2, 0.1],
      ],
    });
    expect(topSemanticHeads(rankings, 2)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});
