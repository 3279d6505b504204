import { candidateRange, withProtectedPositions } from "./protected-positions";
import type { LayerSelection } from "./types";

export interface PhysicalPlanInput {
  readonly n: number;
  /** Cells the sequence may occupy; at least the protected count (sinks and window). */
  readonly capacity: number;
  readonly window: number;
  readonly sinks: number;
  /** Each layer's desired selection (from `selectTokens`). */
  readonly layers: readonly LayerSelection[];
  /**
   * Per layer, attention mass over all n positions (e.g. `windowAttentionMass`), for the retained-mass
   * shares; leave a layer undefined when it has no capture.
   */
  readonly attentionMass?: readonly (ArrayLike<number> | undefined)[];
}

export interface PositionRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/**
 * "shared": every layer attends to the whole union (cells are shared, nothing is masked).
 * "exact": each layer attends to its own kept set only (masking); memory is still the union.
 */
export type PlanView = "shared" | "exact";

export interface PhysicalPlan {
  readonly n: number;
  readonly capacity: number;
  /** The uniform scale s applied to every layer's ranked list before the slot fill (1 = no trimming). */
  readonly scale: number;
  /** Per layer, kept positions, ascending. */
  readonly kept: readonly Int32Array[];
  /** Positions that stay in the cache, ascending; never longer than `capacity`. */
  readonly union: Int32Array;
  /** Positions to remove from the cache, coalesced, ascending. */
  readonly removals: readonly PositionRange[];
  /** Per view, per layer: share of the layer's attention mass its visible set retains (null without mass). */
  readonly retainedMass: Readonly<Record<PlanView, readonly (number | null)[]>>;
}

/**
 * Fits the layers' desired sets into `capacity` shared cells. Every layer keeps the sinks and the window and
 * the first floor(s * r_l) of its ranked list (r_l its length), with the largest s whose union fits. Slots
 * still free go by global priority: the candidate with the smallest (rank + 1) / r_l (ties: lower layer)
 * comes next, which continues the uniform scaling one token at a time; a candidate already in the union is
 * free. A layer whose next candidate no longer fits stops, so each kept set stays a prefix of its ranking.
 */
export function buildPhysicalPlan(input: PhysicalPlanInput): PhysicalPlan {
  const { n, capacity, window, sinks, layers } = input;
  const { start, end } = candidateRange(n, window, sinks);
  const protectedTotal = n - (end - start);
  if (capacity < protectedTotal)
    throw new RangeError(`capacity ${capacity} cannot hold the ${protectedTotal} sink and window positions`);

  const counter = new UnionCounter(n);
  const unionSizeAt = (scale: number): number => {
    counter.reset();
    for (const layer of layers) counter.addAll(layer.ranked, Math.floor(scale * layer.ranked.length));
    return protectedTotal + counter.size;
  };

  let scale = 1;
  if (unionSizeAt(1) > capacity) {
    // Union size only grows with s: bisect to the largest s that fits.
    let low = 0;
    let high = 1;
    for (let iteration = 0; iteration < 64 && high - low > Number.EPSILON; iteration++) {
      const middle = (low + high) / 2;
      if (unionSizeAt(middle) <= capacity) low = middle;
      else high = middle;
    }
    scale = low;
  }

  unionSizeAt(scale);
  const taken = layers.map((layer) => Math.floor(scale * layer.ranked.length));
  fillRemainingSlots(layers, taken, counter, capacity - protectedTotal);

  const kept = layers.map((layer, l) => withProtectedPositions(layer.ranked.subarray(0, taken[l]), n, window, sinks));
  const union = withProtectedPositions(counter.members(), n, window, sinks);
  return {
    n,
    capacity,
    scale,
    kept,
    union,
    removals: complementRanges(union, n),
    retainedMass: {
      shared: layers.map((_, l) => retainedShare(input.attentionMass?.[l], union)),
      exact: layers.map((_, l) => retainedShare(input.attentionMass?.[l], kept[l])),
    },
  };
}

/** The positions a layer attends to under a view. */
export function visiblePositions(plan: PhysicalPlan, layer: number, view: PlanView): Int32Array {
  return view === "shared" ? plan.union : plan.kept[layer];
}

function fillRemainingSlots(
  layers: readonly LayerSelection[],
  taken: number[],
  counter: UnionCounter,
  slots: number,
): void {
  const stopped = layers.map((layer, l) => taken[l] >= layer.ranked.length);
  for (;;) {
    let next = -1;
    let nextPriority = Infinity;
    for (let l = 0; l < layers.length; l++) {
      if (stopped[l]) continue;
      const priority = (taken[l] + 1) / layers[l].ranked.length;
      if (priority < nextPriority) {
        next = l;
        nextPriority = priority;
      }
    }
    if (next < 0) return;
    const position = layers[next].ranked[taken[next]];
    if (counter.has(position) || counter.size < slots) {
      counter.add(position);
      taken[next]++;
      if (taken[next] >= layers[next].ranked.length) stopped[next] = true;
    } else {
      stopped[next] = true;
    }
  }
}

/** Set membership over 0..n-1 that resets in O(1) by bumping a generation stamp. */
class UnionCounter {
  readonly #stamp: Uint32Array;
  #generation = 0;
  #size = 0;

  constructor(n: number) {
    this.#stamp = new Uint32Array(n);
  }

  get size(): number {
    return this.#size;
  }

  reset(): void {
    this.#generation++;
    this.#size = 0;
  }

  has(position: number): boolean {
    return this.#stamp[position] === this.#generation;
  }

  add(position: number): void {
    if (this.#stamp[position] === this.#generation) return;
    this.#stamp[position] = this.#generation;
    this.#size++;
  }

  addAll(positions: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) this.add(positions[i]);
  }

  members(): Int32Array {
    const members = new Int32Array(this.#size);
    let filled = 0;
    for (let j = 0; j < this.#stamp.length; j++) if (this.#stamp[j] === this.#generation) members[filled++] = j;
    return members;
  }
}

/** Coalesced [start, end) ranges of 0..n-1 not in `kept` (ascending). */
export function complementRanges(kept: Int32Array, n: number): PositionRange[] {
  const ranges: PositionRange[] = [];
  let cursor = 0;
  for (const position of kept) {
    if (position > cursor) ranges.push({ start: cursor, end: position });
    cursor = position + 1;
  }
  if (cursor < n) ranges.push({ start: cursor, end: n });
  return ranges;
}

/** Share of `mass` on `visible`; 1 when the layer has no mass at all. */
function retainedShare(mass: ArrayLike<number> | undefined, visible: Int32Array): number | null {
  if (mass === undefined) return null;
  let total = 0;
  for (let j = 0; j < mass.length; j++) total += mass[j];
  if (total === 0) return 1;
  let retained = 0;
  for (const position of visible) retained += mass[position];
  return retained / total;
}
