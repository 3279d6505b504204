import type { DocumentText } from "../../src-main/api/contract";

/** The document's text, one block per page; focusable so the keyboard can scroll it. */
export function DocumentPages({ text }: { text: DocumentText }) {
  if (text.text.trim().length === 0) return <p className="pane-message muted">This document has no text.</p>;
  return (
    <div className="document-pages" tabIndex={0} aria-label="Document text">
      {text.pages.map((range) => (
        <article key={range.page} className="document-page" aria-labelledby={`page-${range.page}`}>
          <h3 id={`page-${range.page}`}>Page {range.page}</h3>
          <p>{text.text.slice(range.start, range.end)}</p>
        </article>
      ))}
    </div>
  );
}
