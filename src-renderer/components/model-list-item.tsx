import type { ModelInfo } from "../../src-main/api/contract";
import { formatBytes, plural } from "../format/quantities";
import { selectLoadedModel } from "../state/selectors";
import { useAppState } from "../state/store-context";

export function ModelListItem({ model }: { model: ModelInfo }) {
  const loadedModel = useAppState(selectLoadedModel);
  const loadingModelId = useAppState((s) => s.loadingModelId);
  const loadModel = useAppState((s) => s.loadModel);
  const isLoaded = loadedModel?.id === model.id;
  const isLoading = loadingModelId === model.id;
  return (
    <li className="item" aria-busy={isLoading}>
      <div className="item-text">
        <span className="item-name" title={model.fileName}>
          {model.name}
        </span>
        <span className="item-meta">
          {formatBytes(model.sizeBytes)} · {plural(model.layers, "layer")}
          {model.bundled ? " · bundled" : ""}
        </span>
      </div>
      {isLoaded && <span className="badge">Loaded</span>}
      {isLoading && (
        <span className="badge" role="status">
          Loading…
        </span>
      )}
      <button type="button" onClick={() => void loadModel(model.id)} disabled={loadingModelId !== null}>
        Load
      </button>
    </li>
  );
}
