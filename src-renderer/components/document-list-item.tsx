import { useState } from "react";
import type { DocumentInfo } from "../../src-main/api/contract";
import { plural } from "../format/quantities";
import { useAppState } from "../state/store-context";

export function DocumentListItem({ document }: { document: DocumentInfo }) {
  const selected = useAppState((s) => s.selectedDocumentId === document.id);
  const selectDocument = useAppState((s) => s.selectDocument);
  const deleteDocument = useAppState((s) => s.deleteDocument);
  const [confirming, setConfirming] = useState(false);

  if (confirming) {
    return (
      <li className="item item-confirm">
        <span className="item-text">Delete {document.name}?</span>
        <button type="button" className="danger" onClick={() => void deleteDocument(document.id)}>
          Delete
        </button>
        {/* biome-ignore lint/a11y/noAutofocus: the person just pressed Delete; focus moves to the safe choice of the question that replaced it. */}
        <button type="button" className="quiet" onClick={() => setConfirming(false)} autoFocus>
          Keep
        </button>
      </li>
    );
  }
  return (
    <li className={selected ? "item item-selected" : "item"}>
      <button
        type="button"
        className="item-select"
        aria-current={selected ? "true" : undefined}
        onClick={() => selectDocument(document.id)}
      >
        <span className="item-name">{document.name}</span>
        <span className="item-meta">
          {document.kind.toUpperCase()} · {plural(document.pages, "page")}
        </span>
      </button>
      <button
        type="button"
        className="quiet"
        aria-label={`Delete ${document.name}`}
        onClick={() => setConfirming(true)}
      >
        Delete
      </button>
    </li>
  );
}
