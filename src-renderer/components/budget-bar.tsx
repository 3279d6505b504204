import { useEffect } from "react";
import { budgetAt, budgetSliderMax, MIN_BUDGET, SLIDER_STEPS, sliderPosition } from "../budget/budget-scale";
import { memoryFigures } from "../budget/memory-figures";
import { reservoirFigures } from "../budget/reservoir-figures";
import { documentTokenCount } from "../cache/document-positions";
import { formatBytes, formatCount } from "../format/quantities";
import { loadedValue } from "../state/loadable";
import { selectLoadedModel } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { NumberField } from "./number-field";

const formatMultiple = (multiple: number) => `${Number.isInteger(multiple) ? multiple : multiple.toFixed(1)}x`;

/**
 * The memory budget in tokens and bytes, beside the open document's full cache and the free memory; in
 * the reservoir mode, the answer budget B and the reservoir R, both in tokens and bytes, and the peak.
 */
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
  const reservoir = reservoirFigures(settings.compression, model.kvBytesPerToken, documentTokens, figures.freeBytes);

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
          {reservoir ? "Answer " : ""}
          {formatCount(budget)} tokens · {formatBytes(figures.budgetBytes)}
          {reservoir &&
            ` · reservoir ${formatCount(reservoir.tokens)} tokens · ${formatBytes(reservoir.bytes)} · ` +
              `peak ${formatBytes(reservoir.peakBytes)}`}
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
      {reservoir && (
        <p className="budget-reservoir muted">
          Read once into a reservoir of {formatCount(reservoir.tokens)} tokens ({formatBytes(reservoir.bytes)}
          {reservoir.wholeDocument ? ", the whole document" : `, ${formatMultiple(reservoir.multiple)} the budget`});
          each question keeps {formatCount(budget)} of them · memory at its peak: {formatCount(reservoir.peakTokens)}{" "}
          tokens · {formatBytes(reservoir.peakBytes)}
        </p>
      )}
    </section>
  );
}
