import { topHeadsPerLayer, type HeadProfile, type ModelShape } from "../compresskv";
import type { CalibrationSettings } from "./calibration-settings";

/** The model file a profile belongs to. */
export interface ProfiledModel {
  readonly fileName: string;
  readonly name: string;
  readonly sizeBytes: number;
  /** Identifies the file's content (see `modelFingerprint`); profiles are stored under it. */
  readonly fingerprint: string;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
}

export interface LengthSummary {
  readonly length: number;
  readonly probes: number;
  readonly counted: number;
}

/**
 * A model's calibration: the core's HeadProfile (every head of each layer ranked by semantic retrieval score,
 * and by the older top-1 score; layer weights e_l), the score matrices behind the rankings ([layer][head],
 * mean over counted probes) for a heat map, and how they were measured.
 */
export interface CalibrationProfile extends HeadProfile {
  readonly version: 1;
  readonly model: ProfiledModel;
  readonly semanticHeads: number[][];
  readonly retrievalHeads: number[][];
  readonly layerWeights: number[];
  readonly semanticScores: number[][];
  readonly retrievalScores: number[][];
  /** Layer errors are normalised per probe length, then averaged over lengths (DESIGN 1.2's datasets). */
  readonly layerErrorDatasets: "lengths";
  readonly probes: { readonly run: number; readonly counted: number; readonly byLength: LengthSummary[] };
  readonly settings: CalibrationSettings;
  /** Whether the needles were hidden in the built-in haystack or in the person's own document. */
  readonly haystack: "built-in" | "document";
  readonly createdAt: string;
  readonly durationMs: number;
}

export interface CalibrationMeasurements {
  readonly shape: ModelShape;
  readonly semanticScores: Float64Array;
  readonly retrievalScores: Float64Array;
  readonly layerWeights: ArrayLike<number>;
}

/** Layer-major scores as [layer][head]. */
function byLayer(scores: Float64Array, shape: ModelShape): number[][] {
  return Array.from({ length: shape.nLayers }, (_, layer) =>
    Array.from(scores.subarray(layer * shape.nHead, (layer + 1) * shape.nHead)),
  );
}

/** The profile's head rankings and matrices from measured scores. */
export function headRankings(measurements: CalibrationMeasurements) {
  const { shape, semanticScores, retrievalScores } = measurements;
  return {
    semanticHeads: topHeadsPerLayer(semanticScores, shape, shape.nHead),
    retrievalHeads: topHeadsPerLayer(retrievalScores, shape, shape.nHead),
    layerWeights: Array.from(measurements.layerWeights),
    semanticScores: byLayer(semanticScores, shape),
    retrievalScores: byLayer(retrievalScores, shape),
  };
}

/** Per layer, the first `k` semantic retrieval heads of a profile (what a head-guided method uses). */
export function topSemanticHeads(profile: HeadProfile, k: number): number[][] {
  return profile.semanticHeads.map((heads) => heads.slice(0, k));
}
