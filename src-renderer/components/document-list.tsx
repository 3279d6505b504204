import { useAppState } from "../state/store-context";
import { DocumentListItem } from "./document-list-item";
import { RetryMessage } from "./retry-message";

export function DocumentList() {
  const documents = useAppState((s) => s.documents);
  const refreshDocuments = useAppState((s) => s.refreshDocuments);
  if (!documents || documents.status === "loading") return <p className="muted">Loading the library…</p>;
  if (documents.status === "failed") {
    return <RetryMessage onRetry={() => void refreshDocuments()}>The library is unavailable.</RetryMessage>;
  }
  if (documents.value.length === 0) return <p className="muted">No documents yet.</p>;
  return (
    <ul className="item-list" aria-label="Documents">
      {documents.value.map((document) => (
        <DocumentListItem key={document.id} document={document} />
      ))}
    </ul>
  );
}
