import type { PageRange, TokenMap } from "../../src-main/api/contract";
import { pageAt } from "../cache/document-positions";
import { formatCount, formatDuration, plural } from "../format/quantities";
import { ingestTimeLeftMs, type IngestTracking } from "../state/conversation";
import { useAppState } from "../state/store-context";
import { loadedValue } from "../state/loadable";

const phaseLabels = { tokenizing: "Tokenizing the document", prefill: "Reading the document into the model" };

/** "page 3 of 40": the page holding the last token read, when the token map is known. */
function pageLine(progress: IngestTracking, map: TokenMap | undefined, pages: PageRange[] | undefined): string | null {
  if (!map || !pages || progress.phase !== "prefill") return null;
  for (let position = Math.min(progress.doneTokens, map.offsets.length) - 1; position >= 0; position--) {
    if (map.offsets[position] < 0) continue;
    const page = pageAt(pages, map.offsets[position]);
    return page === null ? null : `page ${formatCount(page)} of ${formatCount(pages.length)}`;
  }
  return null;
}

export function IngestProgressView({ progress, onCancel }: { progress: IngestTracking; onCancel: () => void }) {
  const map = useAppState((s) => loadedValue(s.tokenMaps[progress.documentId]));
  const text = useAppState((s) => loadedValue(s.documentTexts[progress.documentId]));
  const label = phaseLabels[progress.phase];
  const percent = progress.totalTokens > 0 ? Math.floor((100 * progress.doneTokens) / progress.totalTokens) : 0;
  const timeLeft = ingestTimeLeftMs(progress);
  const details = [
    `${formatCount(progress.doneTokens)} of ${formatCount(progress.totalTokens)} tokens`,
    pageLine(progress, map, text?.pages),
    progress.passes !== undefined ? plural(progress.passes, "compression pass", "compression passes") : null,
    progress.cacheCells !== undefined ? `${formatCount(progress.cacheCells)} cells in use` : null,
    timeLeft !== null ? `about ${formatDuration(timeLeft)} left` : null,
  ].filter((part): part is string => part !== null);
  return (
    <div className="ingest-progress">
      <p className="muted">
        {label}: {details.join(" · ")}
      </p>
      <div className="ingest-progress-row">
        <progress aria-label={label} max={progress.totalTokens} value={progress.doneTokens}>
          {percent}%
        </progress>
        <button type="button" className="quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
