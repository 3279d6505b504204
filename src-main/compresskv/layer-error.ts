import { kvHeadOf } from "./gqa";
import type { ModelShape } from "./types";

/** V rows of one layer, addressed by element strides so any tensor layout (ggml's transposed V included) fits. */
export interface ValueRows {
  readonly data: Float32Array;
  readonly headDim: number;
  readonly strides: { readonly kvHead: number; readonly cell: number; readonly dim: number };
}

export interface LayerErrorInput {
  readonly shape: Pick<ModelShape, "nHead" | "nHeadKv">;
  /** One decode step's attention probabilities, nHead x nCells, head-major. */
  readonly probabilities: Float32Array;
  readonly nCells: number;
  readonly values: ValueRows;
  /** 1 for each cell the compressed cache keeps. */
  readonly kept: Uint8Array;
}

/**
 * Layer eviction error for one layer and step (DESIGN 1.2): e = ||ô - o||_F / (||o||_F + 1e-5), where o
 * stacks every query head's attention output over all cells and ô the output with the probabilities
 * renormalised over the kept cells (to the row's total, 1 for a softmax row, so rows that do not sum to 1
 * are handled consistently). A head whose kept cells carry no probability gets ô_h = 0.
 */
export function layerEvictionError(input: LayerErrorInput): number {
  const { shape, probabilities, nCells, values, kept } = input;
  const { headDim, strides, data } = values;
  const full = new Float64Array(headDim);
  const compressed = new Float64Array(headDim);
  let differenceSquared = 0;
  let fullSquared = 0;

  for (let head = 0; head < shape.nHead; head++) {
    const headBase = kvHeadOf(head, shape) * strides.kvHead;
    const rowBase = head * nCells;
    full.fill(0);
    compressed.fill(0);
    let fullMass = 0;
    let keptMass = 0;
    for (let cell = 0; cell < nCells; cell++) {
      const p = probabilities[rowBase + cell];
      if (p === 0) continue;
      const cellBase = headBase + cell * strides.cell;
      const isKept = kept[cell] === 1;
      fullMass += p;
      if (isKept) keptMass += p;
      for (let d = 0; d < headDim; d++) {
        const v = p * data[cellBase + d * strides.dim];
        full[d] += v;
        if (isKept) compressed[d] += v;
      }
    }
    const scale = keptMass > 0 ? fullMass / keptMass : 0;
    for (let d = 0; d < headDim; d++) {
      const delta = compressed[d] * scale - full[d];
      differenceSquared += delta * delta;
      fullSquared += full[d] * full[d];
    }
  }
  return Math.sqrt(differenceSquared) / (Math.sqrt(fullSquared) + 1e-5);
}

/** A kept-cell mask of length `nCells` from a list of kept cells. */
export function keptMask(keptCells: ArrayLike<number>, nCells: number): Uint8Array {
  const mask = new Uint8Array(nCells);
  for (let i = 0; i < keptCells.length; i++) mask[keptCells[i]] = 1;
  return mask;
}

/**
 * Layer weights from measured errors (DESIGN 1.2). errors[dataset][prompt][step] is one value per layer.
 * Sum over steps and prompts, normalise each dataset to sum 1, average the datasets, renormalise.
 * Datasets whose errors sum to 0 carry no information and are left out; if none is left, weights are uniform.
 */
export function aggregateLayerErrors(
  errors: readonly (readonly (readonly ArrayLike<number>[])[])[],
  nLayers: number,
): Float64Array {
  const average = new Float64Array(nLayers);
  let datasetsUsed = 0;
  for (const dataset of errors) {
    const perDataset = new Float64Array(nLayers);
    for (const prompt of dataset)
      for (const step of prompt) {
        if (step.length !== nLayers)
          throw new RangeError(`a step has ${step.length} layer errors, expected ${nLayers}`);
        for (let l = 0; l < nLayers; l++) perDataset[l] += step[l];
      }
    const total = perDataset.reduce((a, b) => a + b, 0);
    if (!(total > 0)) continue;
    for (let l = 0; l < nLayers; l++) average[l] += perDataset[l] / total;
    datasetsUsed++;
  }
  if (datasetsUsed === 0) return new Float64Array(nLayers).fill(1 / nLayers);
  const total = average.reduce((a, b) => a + b, 0);
  for (let l = 0; l < nLayers; l++) average[l] /= total;
  return average;
}
