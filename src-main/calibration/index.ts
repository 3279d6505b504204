export { calibrateAndSave, calibrateModel, type CalibrationOptions, type CalibrationProgress } from "./calibrate";
export {
  headRankings,
  topSemanticHeads,
  type CalibrationProfile,
  type LengthSummary,
  type ProfiledModel,
} from "./calibration-profile";
export {
  defaultCalibrationSettings,
  defaultLengths,
  depthValues,
  probeGrid,
  type CalibrationSettings,
  type ProbeSpec,
} from "./calibration-settings";
export { bundledHaystackPath, readBundledHaystack } from "./bundled-haystack";
export { BUILT_IN_NEEDLES, type Needle } from "./needles";
export {
  listProfiles,
  loadProfile,
  modelFingerprint,
  findProfile,
  bundledProfilesDataDir,
  profilePath,
  profilesDirectory,
  saveProfile,
  type ProfileSummary,
} from "./profile-store";
export { answerIsRight, rouge1Recall } from "./rouge";
