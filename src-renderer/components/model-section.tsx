import { useAppState } from "../state/store-context";
import { EngineStatusLines } from "./engine-status-lines";
import { LoadedModelSummary } from "./loaded-model-summary";
import { ModelList } from "./model-list";

export function ModelSection() {
  const chooseModelFile = useAppState((s) => s.chooseModelFile);
  const choosing = useAppState((s) => s.choosingModelFile);
  return (
    <section className="sidebar-section" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <LoadedModelSummary />
      <EngineStatusLines />
      <ModelList />
      <button type="button" onClick={() => void chooseModelFile()} disabled={choosing}>
        Open GGUF…
      </button>
    </section>
  );
}
