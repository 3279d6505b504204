import { useEffect } from "react";
import { budgetAt, budgetSliderMax, MIN_BUDGET, SLIDER_STEPS, sliderPosition } from "../budget/budget-scale";
import { memoryFigures } from "../budget/memory-figures";
import { documentTokenCount } from "../cache/document-positions";
import { formatBytes, formatCount } from "../format/quantities";
import { loadedValue } from "../state/loadable";
import { selectLoadedModel } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { NumberField } from "./number-field";

/** The memory budget in tokens and bytes, beside the open document's full cache and the free memory. */
export function BudgetBar() {
  const model = useAppState(selectLoadedModel);
  const settings = useAppState((s) => loadedValue(s.settings));
  const gpu = useAppState((s) => loadedValue(s.engineStatus)?.gpu);
  const documentId = useAppState((s) => s.selectedDocumentId);
  const map = useAppState((s) => (documentId ? loadedValue(s.tokenMaps[documentId]) : undefined));
  const loadTokenMap = useAppState((s) => s.loadTokenMap);
  const changeCompression = useAppState((s) => s.changeCompression);
  const showView = useAppState((s) => s.showView);

  useEffect(() => {
    if (documentId && model) void loadTokenMap(documentId);
  }, [documentId, model, loadTokenMap]);

  if (!model || !settings || !gpu) return null;
  const { budget, method } = settings.compression;
  const documentTokens = map && map.modelId === model.id ? documentTokenCount(map) : null;
  const max = budgetSliderMax(budget, documentTokens, model.trainContextSize);
  const figures = memoryFigures(budget, model.kvBytesPerToken, documentTokens, gpu);
  const keepsAll = documentTokens !== null && budget >= documentTokens;

  return (
    <section className="budget-bar" aria-label="Memory budget">
      <div className="budget-controls">
        <label htmlFor="budget-slider" className="budget-label">
          Memory budget
        </label>
        <input
          id="budget-slider"
          type="range"
          min={0}
          max={SLIDER_STEPS}
          value={sliderPosition(budget, max)}
          aria-valuetext={`${formatCount(budget)} tokens, ${formatBytes(figures.budgetBytes)}`}
          onChange={(event) => void changeCompression({ budget: budgetAt(Number(event.target.value), max) })}
        />
        <NumberField
          label="Budget in tokens"
          className="budget-number"
          value={budget}
          min={MIN_BUDGET}
          step={16}
          onCommit={(tokens) => void changeCompression({ budget: tokens })}
        />
        <output htmlFor="budget-slider" className="budget-value">
          {formatCount(budget)} tokens · {formatBytes(figures.budgetBytes)}
        </output>
        <button
          type="button"
          className="link"
          aria-label={`Method: ${method} (settings)`}
          onClick={() => showView("settings")}
        >
          Method: {method}
        </button>
      </div>
      <p className="budget-figures muted">
        {figures.fullCacheTokens !== null && figures.fullCacheBytes !== null
          ? `Full cache of this document: ${formatCount(figures.fullCacheTokens)} tokens · ${formatBytes(figures.fullCacheBytes)}`
          : "Full cache: open a document to see its size"}
        {" · "}
        Free {figures.device} fits {formatCount(figures.fitsTokens)} tokens ({formatBytes(figures.freeBytes)})
        {keepsAll && " · the whole document fits the budget: nothing is evicted"}
      </p>
    </section>
  );
}
