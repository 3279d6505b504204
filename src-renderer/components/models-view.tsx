import { CalibrationPanel } from "./calibration-panel";
import { EngineStatusLines } from "./engine-status-lines";
import { RecommendedModelList } from "./recommended-model-list";

export function ModelsView() {
  return (
    <section className="pane view-pane models-view" aria-labelledby="models-heading">
      <header className="pane-header">
        <h2 id="models-heading">Models</h2>
        <p className="muted">Hardware, calibration of the loaded model, and models to download.</p>
      </header>
      <div className="view-body">
        <section aria-labelledby="hardware-heading" className="view-section">
          <h3 id="hardware-heading">Hardware</h3>
          <EngineStatusLines />
        </section>
        <section aria-labelledby="calibration-heading" className="view-section">
          <h3 id="calibration-heading">Calibration</h3>
          <CalibrationPanel />
        </section>
        <section aria-labelledby="download-heading" className="view-section">
          <h3 id="download-heading">Recommended models</h3>
          <p className="muted">Downloads run in the background and go on if this window reloads.</p>
          <RecommendedModelList />
        </section>
      </div>
    </section>
  );
}
