import { formatCount, plural } from "../format/quantities";
import { selectLoadedModel } from "../state/selectors";
import { useAppState } from "../state/store-context";

export function LoadedModelSummary() {
  const model = useAppState(selectLoadedModel);
  const loadingModelId = useAppState((s) => s.loadingModelId);
  if (!model) {
    return <p className="muted">{loadingModelId ? "Loading a model…" : "No model loaded."}</p>;
  }
  return (
    <div className="loaded-model">
      <p className="loaded-model-name" title={model.fileName}>
        {model.name}
      </p>
      <p className="muted">
        {[
          plural(model.layers, "layer"),
          `${plural(model.heads, "head")} (${formatCount(model.kvHeads)} KV)`,
          `context ${formatCount(model.trainContextSize)}`,
          model.promptStyle === "chat" ? "chat template" : "plain prompts",
        ].join(" · ")}
      </p>
    </div>
  );
}
