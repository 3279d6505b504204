/**
 * How far two head rankings agree, layer by layer: the heads one calibration chose against the heads
 * that another measurement (e.g. the eval task's own needles, decoded with the full cache) found
 * attending to the answer. Pure.
 */
export interface LayerAgreement {
  layer: number;
  /** Share of the first ranking's top k heads that are also in the second's top k. */
  overlap: number;
  /** Spearman rank correlation of the two score vectors over the layer's heads (0 when either is flat). */
  rankCorrelation: number;
}

/** Ranks 1..n of `values` (ties get their mean rank). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let t = i; t <= j; t++) result[order[t].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let covariance = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    covariance += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return va === 0 || vb === 0 ? 0 : covariance / Math.sqrt(va * vb);
}

/** Indices of the `k` largest scores, highest first (lower index first among equals). */
export function topHeads(scores: readonly number[], k: number): number[] {
  return scores
    .map((score, head) => ({ score, head }))
    .sort((x, y) => y.score - x.score || x.head - y.head)
    .slice(0, k)
    .map((entry) => entry.head);
}

/** Per layer: overlap of the top `k` heads and rank correlation of the two score matrices ([layer][head]). */
export function headAgreement(
  first: readonly (readonly number[])[],
  second: readonly (readonly number[])[],
  k: number,
): LayerAgreement[] {
  return first.map((scores, layer) => {
    const other = second[layer];
    const top = new Set(topHeads(other, k));
    return {
      layer,
      overlap: topHeads(scores, k).filter((head) => top.has(head)).length / k,
      rankCorrelation: spearman(scores, other),
    };
  });
}
