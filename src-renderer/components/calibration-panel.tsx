import { useState } from "react";
import { formatCount, formatDuration } from "../format/quantities";
import { loadedValue } from "../state/loadable";
import { selectLoadedModel, selectSelectedDocument } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { ModelProfileView } from "./model-profile-view";

/** Calibrating the loaded model: finding its semantic retrieval heads and layer weights, with progress. */
export function CalibrationPanel() {
  const model = useAppState(selectLoadedModel);
  const document = useAppState(selectSelectedDocument);
  const probe = useAppState((s) => loadedValue(s.engineStatus)?.attentionProbe);
  const run = useAppState((s) => Object.values(s.calibrations).find((c) => c.modelId === model?.id) ?? null);
  const starting = useAppState((s) => (model ? s.startingCalibration[model.id] === true : false));
  const ended = useAppState((s) => (model ? s.calibrationEnds[model.id] : undefined));
  const calibrate = useAppState((s) => s.calibrate);
  const cancel = useAppState((s) => s.cancel);
  const [useDocument, setUseDocument] = useState(false);

  if (!model) return <p className="muted">Load a model to calibrate it.</p>;
  const progress = run?.progress;
  return (
    <div className="calibration">
      <p>
        {model.calibrated
          ? `${model.name} is calibrated: CompressKV uses its semantic retrieval heads.`
          : `${model.name} is not calibrated yet. Calibration runs needle-in-a-haystack probes to find the heads that retrieve.`}
      </p>
      {probe && !probe.available && (
        <p className="message-error">Calibration needs the attention probe: {probe.reason}</p>
      )}
      {run ? (
        <div className="calibration-progress">
          <p className="muted">
            {progress
              ? `Probe ${formatCount(progress.probesDone)} of ${formatCount(progress.probesTotal)} (${formatCount(progress.probesCounted)} answered right) · ${formatDuration(progress.elapsedMs)} elapsed · about ${formatDuration(progress.remainingMs)} left`
              : "Starting the calibration…"}
          </p>
          <div className="ingest-progress-row">
            <progress aria-label="Calibration" max={progress?.probesTotal ?? 1} value={progress?.probesDone ?? 0} />
            <button type="button" onClick={() => void cancel(run.requestId)}>
              Cancel calibration
            </button>
          </div>
        </div>
      ) : (
        <div className="calibration-actions">
          {document && (
            <label className="inline-field">
              <input type="checkbox" checked={useDocument} onChange={(event) => setUseDocument(event.target.checked)} />
              <span>Use {document.name} as the haystack</span>
            </label>
          )}
          <button
            type="button"
            className="primary"
            disabled={starting || probe?.available === false}
            onClick={() => void calibrate(model.id, useDocument && document ? document.id : undefined)}
          >
            {model.calibrated ? "Calibrate again" : "Calibrate"}
          </button>
          {ended && (
            <span className="muted">
              {ended.code === "cancelled"
                ? "The last calibration was cancelled."
                : `The last calibration failed: ${ended.message}`}
            </span>
          )}
        </div>
      )}
      <ModelProfileView modelId={model.id} linkToCalibration={false} />
    </div>
  );
}
