import { selectIngestProgressFor } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { IngestProgressView } from "./ingest-progress-view";

export function IngestProgressBar({ documentId }: { documentId: string }) {
  const progress = useAppState(selectIngestProgressFor(documentId));
  const cancel = useAppState((s) => s.cancel);
  if (!progress) return null;
  return <IngestProgressView progress={progress} onCancel={() => void cancel(progress.requestId)} />;
}
