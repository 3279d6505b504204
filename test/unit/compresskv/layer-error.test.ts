import { describe, expect, it } from "vitest";
import {
  aggregateLayerErrors,
  keptMask,
  layerEvictionError,
  type ValueRows,
} from "../../../src-main/compresskv/layer-error";
import { forEachCase } from "./property";

// Two query heads sharing one KV head, head_dim 2, three cells: v0 = (1, 0), v1 = (0, 1), v2 = (1, 1).
const sharedV: ValueRows = {
  data: Float32Array.of(1, 0, 0, 1, 1, 1),
  headDim: 2,
  strides: { kvHead: 6, cell: 2, dim: 1 },
};
const probabilities = Float32Array.of(0.5, 0.25, 0.25, /* head 1 */ 0.25, 0.125, 0.625);

describe("layerEvictionError", () => {
  it("compares the full output with the output renormalised over the kept cells", () => {
    // head 0: o = (0.75, 0.5), ô = (0.75, 0.25) / 0.75 = (1, 1/3)
    // head 1: o = (0.875, 0.75), ô = (0.875, 0.625) / 0.875 = (1, 5/7)
    const difference = Math.hypot(0.25, 1 / 3 - 0.5, 0.125, 5 / 7 - 0.75);
    const full = Math.hypot(0.75, 0.5, 0.875, 0.75);
    const error = layerEvictionError({
      shape: { nHead: 2, nHeadKv: 1 },
      probabilities,
      nCells: 3,
      values: sharedV,
      kept: keptMask([0, 2], 3),
    });
    expect(error).toBeCloseTo(difference / (full + 1e-5), 12);
  });
  it("reads V through its strides: a transposed layout gives the same error", () => {
    // The same V stored dim-major (ggml's layout with flash attention off): dim 0 row, then dim 1 row.
    const transposed: ValueRows = {
      data: Float32Array.of(1, 0, 1, 0, 1, 1),
      headDim: 2,
      strides: { kvHead: 6, cell: 1, dim: 3 },
    };
    const input = { shape: { nHead: 2, nHeadKv: 1 }, probabilities, nCells: 3, kept: keptMask([0, 2], 3) };
    expect(layerEvictionError({ ...input, values: transposed })).toBe(
      layerEvictionError({ ...input, values: sharedV }),
    );
  });
  it("maps query heads to their own KV head", () => {
    // Head 1 reads KV head 1: v0 = (2, 0), v1 = (0, 4), v2 = (0, 2). Head 0 has no probability anywhere.
    const values: ValueRows = {
      data: Float32Array.of(1, 0, 0, 1, 1, 1, /* kv head 1 */ 2, 0, 0, 4, 0, 2),
      headDim: 2,
      strides: { kvHead: 6, cell: 2, dim: 1 },
    };
    const onlyHead1 = Float32Array.of(0, 0, 0, 0.5, 0.25, 0.25);
    const error = layerEvictionError({
      shape: { nHead: 2, nHeadKv: 2 },
      probabilities: onlyHead1,
      nCells: 3,
      values,
      kept: keptMask([0, 2], 3),
    });
    // o = (1, 1.5), ô = (1, 0.5) / 0.75 = (4/3, 2/3); reading KV head 0 instead would give 1/3
    expect(error).toBeCloseTo(Math.hypot(1 / 3, 2 / 3 - 1.5) / (Math.hypot(1, 1.5) + 1e-5), 12);
  });
  it("is 0 when everything is kept and treats a head with no kept mass as outputting 0", () => {
    const input = { shape: { nHead: 2, nHeadKv: 1 }, probabilities, nCells: 3, values: sharedV };
    expect(layerEvictionError({ ...input, kept: keptMask([0, 1, 2], 3) })).toBe(0);
    const onlyCell1 = Float32Array.of(0, 1, 0, 0, 1, 0);
    // o = (0, 1) for both heads, ô = 0: ||ô - o|| = ||o|| = sqrt(2)
    const error = layerEvictionError({ ...input, probabilities: onlyCell1, kept: keptMask([0, 2], 3) });
    expect(error).toBeCloseTo(Math.SQRT2 / (Math.SQRT2 + 1e-5), 12);
  });
  it("property: never negative, 0 with the full set, deterministic", () => {
    forEachCase(50, (random) => {
      const nHeadKv = random.int(1, 4);
      const nHead = nHeadKv * random.int(1, 4);
      const nCells = random.int(1, 40);
      const headDim = random.int(1, 8);
      const probabilities = new Float32Array(nHead * nCells).map(() => random.float());
      const values: ValueRows = {
        data: new Float32Array(nHeadKv * nCells * headDim).map(() => random.float() * 2 - 1),
        headDim,
        strides: { kvHead: nCells * headDim, cell: headDim, dim: 1 },
      };
      const kept = new Uint8Array(nCells).map(() => (random.float() < 0.5 ? 1 : 0));
      const input = { shape: { nHead, nHeadKv }, probabilities, nCells, values, kept };
      const error = layerEvictionError(input);
      expect(error).toBeGreaterThanOrEqual(0);
      expect(layerEvictionError(input)).toBe(error);
      expect(layerEvictionError({ ...input, kept: new Uint8Array(nCells).fill(1) })).toBeCloseTo(0, 6);
    });
  });
});

describe("aggregateLayerErrors", () => {
  it("sums steps and prompts, normalises per dataset, averages, renormalises", () => {
    const datasetA = [[Float64Array.of(1, 3), Float64Array.of(1, 1)], [Float64Array.of(2, 0)]]; // (4, 4) -> (0.5, 0.5)
    const datasetB = [[Float64Array.of(1, 3)]]; // (0.25, 0.75)
    expect(Array.from(aggregateLayerErrors([datasetA, datasetB], 2))).toEqual([0.375, 0.625]);
  });
  it("leaves out datasets without error, and falls back to uniform", () => {
    const datasetB = [[Float64Array.of(1, 3)]];
    const silent = [[Float64Array.of(0, 0)]];
    expect(Array.from(aggregateLayerErrors([datasetB, silent], 2))).toEqual([0.25, 0.75]);
    expect(Array.from(aggregateLayerErrors([silent], 2))).toEqual([0.5, 0.5]);
  });
  it("rejects steps with the wrong number of layers", () => {
    expect(() => aggregateLayerErrors([[[Float64Array.of(1)]]], 2)).toThrow(RangeError);
  });
});
