import { DEFAULT_HEADS_PER_LAYER, DEFAULT_WINDOW } from "../compresskv";
import type { Needle } from "./needles";

/** What a calibration run measures, and how much of it. */
export interface CalibrationSettings {
  /** Prompt lengths in tokens, one probe per depth at each. */
  readonly lengths: readonly number[];
  /** Needle depths per length, evenly spaced from 0 (start) to 1 (end). */
  readonly depths: number;
  /** Greedy decode limit per probe (it also stops at a newline or end of generation). */
  readonly maxTokens: number;
  /** Uniform per-layer budget of the compressed cache the layer eviction error is measured against. */
  readonly errorBudget: number;
  /** Observation window of the SnapKV selection for that cache. */
  readonly window: number;
  /** Heads per layer a head-guided method uses; shown as the top heads. */
  readonly headsPerLayer: number;
}

export const DEFAULT_DEPTHS = 10;
export const DEFAULT_MAX_TOKENS = 50;
export const DEFAULT_ERROR_BUDGET = 32;
const DEFAULT_LENGTH_COUNT = 4;
/** Longest default probe: a CPU prefills a few thousand tokens of a 7B model in about a minute. */
const LONGEST_DEFAULT_LENGTH = { cpu: 2048, gpu: 8192 };
const SHORTEST_LENGTH = 128;

/**
 * Default lengths: 4 evenly spaced up to the model's usable context (its trained context less the decode),
 * capped so that a CPU calibration takes minutes, not hours; multiples of 64.
 */
export function defaultLengths(trainContextSize: number, options: { gpu: boolean; maxTokens?: number }): number[] {
  const cap = options.gpu ? LONGEST_DEFAULT_LENGTH.gpu : LONGEST_DEFAULT_LENGTH.cpu;
  const usable = trainContextSize > 0 ? trainContextSize - (options.maxTokens ?? DEFAULT_MAX_TOKENS) : cap;
  const longest = Math.max(SHORTEST_LENGTH, Math.min(cap, usable));
  const lengths = new Set<number>();
  for (let i = 1; i <= DEFAULT_LENGTH_COUNT; i++) {
    lengths.add(Math.max(SHORTEST_LENGTH, Math.floor((longest * i) / DEFAULT_LENGTH_COUNT / 64) * 64));
  }
  return [...lengths];
}

export function defaultCalibrationSettings(trainContextSize: number, options: { gpu: boolean }): CalibrationSettings {
  return {
    lengths: defaultLengths(trainContextSize, options),
    depths: DEFAULT_DEPTHS,
    maxTokens: DEFAULT_MAX_TOKENS,
    errorBudget: DEFAULT_ERROR_BUDGET,
    window: DEFAULT_WINDOW,
    headsPerLayer: DEFAULT_HEADS_PER_LAYER,
  };
}

/** `count` depths evenly spaced over [0, 1]; a single depth is the middle. */
export function depthValues(count: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`depths must be a positive whole number, not ${count}`);
  if (count === 1) return [0.5];
  return Array.from({ length: count }, (_, i) => i / (count - 1));
}

/** One needle-in-a-haystack probe of the grid. */
export interface ProbeSpec {
  readonly index: number;
  /** Index into the settings' lengths: the dataset the probe's layer errors belong to. */
  readonly lengthIndex: number;
  readonly length: number;
  readonly depth: number;
  readonly needle: Needle;
}

/** Lengths (ascending as given) x depths; the needles take turns so that each length sees all of them. */
export function probeGrid(
  settings: Pick<CalibrationSettings, "lengths" | "depths">,
  needles: readonly Needle[],
): ProbeSpec[] {
  if (needles.length === 0) throw new RangeError("calibration needs at least one needle");
  const depths = depthValues(settings.depths);
  const probes: ProbeSpec[] = [];
  settings.lengths.forEach((length, lengthIndex) => {
    if (!Number.isInteger(length) || length < SHORTEST_LENGTH) {
      throw new RangeError(`probe lengths must be whole numbers of at least ${SHORTEST_LENGTH} tokens, not ${length}`);
    }
    for (const depth of depths) {
      const index = probes.length;
      probes.push({ index, lengthIndex, length, depth, needle: needles[index % needles.length] });
    }
  });
  return probes;
}
