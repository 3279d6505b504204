import type { DocumentInfo } from "../../src-main/api/contract";
import { formatBytes, plural } from "../format/quantities";
import { useAppState } from "../state/store-context";
import { DocumentPages } from "./document-pages";
import { RetryMessage } from "./retry-message";

export function DocumentView({ document }: { document: DocumentInfo }) {
  const text = useAppState((s) => s.documentTexts[document.id]);
  const selectDocument = useAppState((s) => s.selectDocument);
  const focus = useAppState((s) => (s.documentFocus?.documentId === document.id ? s.documentFocus : null));
  return (
    <section className="pane document-view" aria-labelledby="document-heading">
      <header className="pane-header">
        <h2 id="document-heading">{document.name}</h2>
        <p className="muted">
          {[
            document.kind.toUpperCase(),
            plural(document.pages, "page"),
            plural(document.characters, "character"),
            formatBytes(document.sizeBytes),
          ].join(" · ")}
        </p>
      </header>
      {(!text || text.status === "loading") && (
        <p className="pane-message muted" role="status">
          Reading the document…
        </p>
      )}
      {text?.status === "failed" && (
        <RetryMessage className="pane-message" onRetry={() => selectDocument(document.id)}>
          Could not show this document: {text.error.message}
        </RetryMessage>
      )}
      {text?.status === "loaded" && <DocumentPages text={text.value} focus={focus} />}
    </section>
  );
}
