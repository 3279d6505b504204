import { formatCount } from "../format/quantities";
import { selectIngestProgressFor } from "../state/selectors";
import { useAppState } from "../state/store-context";

const phaseLabels = { tokenizing: "Tokenizing the document", prefill: "Reading the document into the model" };

export function IngestProgressBar({ documentId }: { documentId: string }) {
  const progress = useAppState(selectIngestProgressFor(documentId));
  if (!progress) return null;
  const label = phaseLabels[progress.phase];
  const percent = progress.totalTokens > 0 ? Math.floor((100 * progress.doneTokens) / progress.totalTokens) : 0;
  return (
    <div className="ingest-progress">
      <p className="muted">
        {label}: {formatCount(progress.doneTokens)} of {formatCount(progress.totalTokens)} tokens
      </p>
      <progress aria-label={label} max={progress.totalTokens} value={progress.doneTokens}>
        {percent}%
      </progress>
    </div>
  );
}
