import type { ModelProfileSummary } from "../api/contract";
import { bundledProfilesDataDir, type CalibrationProfile, findProfile } from "../calibration";

/**
 * The calibration of each model file: the person's own, else one shipped with the app. Read once
 * per file; a calibration run replaces it.
 */
export class ModelProfiles {
  private readonly byPath = new Map<string, CalibrationProfile | null>();

  constructor(
    private readonly dataDir: string,
    private readonly resourcesDir: string | null,
  ) {}

  async of(path: string): Promise<CalibrationProfile | undefined> {
    if (!this.byPath.has(path)) {
      const dirs = [this.dataDir, ...(this.resourcesDir ? [bundledProfilesDataDir(this.resourcesDir)] : [])];
      this.byPath.set(path, (await findProfile(dirs, path).catch(() => undefined)) ?? null);
    }
    return this.byPath.get(path) ?? undefined;
  }

  /** Records a profile just made for `path`. */
  set(path: string, profile: CalibrationProfile): void {
    this.byPath.set(path, profile);
  }
}

/** What the UI shows of a profile, with the heads the current setting keeps per layer. */
export function profileSummary(
  modelId: string,
  profile: CalibrationProfile,
  headsPerLayer: number,
): ModelProfileSummary {
  return {
    modelId,
    createdAt: profile.createdAt,
    durationMs: profile.durationMs,
    probesRun: profile.probes.run,
    probesCounted: profile.probes.counted,
    semanticScores: profile.semanticScores,
    chosenHeads: profile.semanticHeads.map((heads) => heads.slice(0, headsPerLayer)),
    layerWeights: profile.layerWeights,
  };
}
