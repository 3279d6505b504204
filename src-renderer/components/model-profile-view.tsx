import { useEffect } from "react";
import { useAppState } from "../state/store-context";
import { HeadScoreMap } from "./head-score-map";
import { RetryMessage } from "./retry-message";

/** A model's head score map once calibrated, or what to do before. */
export function ModelProfileView({
  modelId,
  linkToCalibration = true,
}: {
  modelId: string;
  linkToCalibration?: boolean;
}) {
  const profile = useAppState((s) => s.profiles[modelId]);
  const loadProfile = useAppState((s) => s.loadProfile);
  const showView = useAppState((s) => s.showView);

  useEffect(() => {
    void loadProfile(modelId);
  }, [modelId, loadProfile]);

  if (!profile || profile.status === "loading") return <p className="muted">Reading the model's calibration…</p>;
  if (profile.status === "failed") {
    return <RetryMessage onRetry={() => void loadProfile(modelId)}>The calibration could not be read.</RetryMessage>;
  }
  if (!profile.value) {
    if (!linkToCalibration) return null;
    return (
      <p className="muted">
        This model is not calibrated yet, so CompressKV falls back to SnapKV.{" "}
        <button type="button" className="link" onClick={() => showView("models")}>
          Calibrate it
        </button>{" "}
        to find its semantic retrieval heads.
      </p>
    );
  }
  return <HeadScoreMap profile={profile.value} />;
}
