import { topKIndices } from "./top-k";
import type { ModelShape } from "./types";

/** Where the answer sits in a probe prompt: its positions and the token id at each. */
export interface AnswerSpan {
  readonly positions: Int32Array;
  readonly tokens: Int32Array;
}

/**
 * A head's semantic retrieval credit for one decode step (DESIGN 1.1): m_t * sum over the span of the
 * attention row, m_t being how many span tokens equal the emitted token.
 */
export function semanticStepScore(row: ArrayLike<number>, span: AnswerSpan, emitted: number): number {
  let matches = 0;
  for (let i = 0; i < span.tokens.length; i++) if (span.tokens[i] === emitted) matches++;
  if (matches === 0) return 0;
  let mass = 0;
  for (let i = 0; i < span.positions.length; i++) mass += row[span.positions[i]];
  return matches * mass;
}

/**
 * The older retrieval-head credit for one decode step: 1/|S| when the row's arg-max (ties: lower position)
 * lands on a span position whose token is the emitted token, else 0. `rowLength` bounds the arg-max.
 */
export function retrievalStepScore(
  row: ArrayLike<number>,
  span: AnswerSpan,
  emitted: number,
  rowLength = row.length,
): number {
  let best = 0;
  for (let j = 1; j < rowLength; j++) if (row[j] > row[best]) best = j;
  const at = span.positions.indexOf(best);
  return at >= 0 && span.tokens[at] === emitted ? 1 / span.positions.length : 0;
}

/**
 * Accumulates both head scores over needle probes. Per probe, each (layer, head) sums its step credits;
 * a probe counts only when the caller says its answer was right; a head's score is the mean over counted
 * probes. Scores are laid out layer-major: index layer * nHead + head.
 */
export class HeadScoreAccumulator {
  readonly #shape: Pick<ModelShape, "nLayers" | "nHead">;
  readonly #semanticTotal: Float64Array;
  readonly #retrievalTotal: Float64Array;
  readonly #semanticProbe: Float64Array;
  readonly #retrievalProbe: Float64Array;
  #span: AnswerSpan | undefined;
  #counted = 0;

  constructor(shape: Pick<ModelShape, "nLayers" | "nHead">) {
    this.#shape = shape;
    const size = shape.nLayers * shape.nHead;
    this.#semanticTotal = new Float64Array(size);
    this.#retrievalTotal = new Float64Array(size);
    this.#semanticProbe = new Float64Array(size);
    this.#retrievalProbe = new Float64Array(size);
  }

  get countedProbes(): number {
    return this.#counted;
  }

  beginProbe(span: AnswerSpan): void {
    if (span.positions.length !== span.tokens.length || span.positions.length === 0)
      throw new RangeError("an answer span needs one token per position, and at least one");
    this.#span = span;
    this.#semanticProbe.fill(0);
    this.#retrievalProbe.fill(0);
  }

  /** One layer at one decode step: `rows` is nHead x rowLength, head-major. */
  addLayerStep(layer: number, emitted: number, rows: Float32Array, rowLength: number): void {
    const span = this.#span;
    if (span === undefined) throw new Error("addLayerStep called outside a probe");
    const { nHead } = this.#shape;
    for (let head = 0; head < nHead; head++) {
      const row = rows.subarray(head * rowLength, (head + 1) * rowLength);
      const index = layer * nHead + head;
      this.#semanticProbe[index] += semanticStepScore(row, span, emitted);
      this.#retrievalProbe[index] += retrievalStepScore(row, span, emitted);
    }
  }

  endProbe(answerWasRight: boolean): void {
    if (this.#span === undefined) throw new Error("endProbe called outside a probe");
    this.#span = undefined;
    if (!answerWasRight) return;
    this.#counted++;
    for (let i = 0; i < this.#semanticTotal.length; i++) {
      this.#semanticTotal[i] += this.#semanticProbe[i];
      this.#retrievalTotal[i] += this.#retrievalProbe[i];
    }
  }

  semanticScores(): Float64Array {
    return this.#mean(this.#semanticTotal);
  }

  retrievalScores(): Float64Array {
    return this.#mean(this.#retrievalTotal);
  }

  #mean(total: Float64Array): Float64Array {
    const mean = new Float64Array(total.length);
    if (this.#counted > 0) for (let i = 0; i < total.length; i++) mean[i] = total[i] / this.#counted;
    return mean;
  }
}

/** Per layer, the `k` best query heads by score (layer-major scores), best first; ties: lower head id. */
export function topHeadsPerLayer(
  scores: Float64Array,
  shape: Pick<ModelShape, "nLayers" | "nHead">,
  k: number,
): number[][] {
  const heads: number[][] = [];
  for (let layer = 0; layer < shape.nLayers; layer++) {
    const layerScores = scores.subarray(layer * shape.nHead, (layer + 1) * shape.nHead);
    heads.push(Array.from(topKIndices(layerScores, k)));
  }
  return heads;
}
