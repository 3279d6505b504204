import type { HeadProfile, MethodName } from "../compresskv";

/**
 * The method used before a model is calibrated: SnapKV, which scores with the window attention of all
 * heads and needs no profile. It stays the default until calibration supplies the semantic retrieval heads.
 */
export const METHOD_BEFORE_CALIBRATION: MethodName = "snapkv";

/** Once calibrated, CompressKV (semantic retrieval heads and layer-adaptive budgets). */
export const METHOD_AFTER_CALIBRATION: MethodName = "compresskv";

/** The compression method to use for a model with this profile, or with none yet. */
export function defaultMethod(profile: HeadProfile | undefined): MethodName {
  return profile === undefined ? METHOD_BEFORE_CALIBRATION : METHOD_AFTER_CALIBRATION;
}
