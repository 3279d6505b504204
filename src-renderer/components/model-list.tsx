import { useAppState } from "../state/store-context";
import { ModelListItem } from "./model-list-item";
import { RetryMessage } from "./retry-message";

export function ModelList() {
  const models = useAppState((s) => s.models);
  const refreshModels = useAppState((s) => s.refreshModels);
  if (!models || models.status === "loading") return <p className="muted">Looking for models…</p>;
  if (models.status === "failed") {
    return <RetryMessage onRetry={() => void refreshModels()}>The model list is unavailable.</RetryMessage>;
  }
  if (models.value.length === 0) return <p className="muted">No models yet. Open a GGUF file to add one.</p>;
  return (
    <ul className="item-list" aria-label="Models">
      {models.value.map((model) => (
        <ModelListItem key={model.id} model={model} />
      ))}
    </ul>
  );
}
