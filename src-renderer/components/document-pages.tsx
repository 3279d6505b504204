import { useEffect, useRef } from "react";
import type { DocumentText, PageRange } from "../../src-main/api/contract";
import type { DocumentFocus } from "../state/view-slice";

function PageText({ text, range, focus }: { text: string; range: PageRange; focus: DocumentFocus | null }) {
  const markRef = useRef<HTMLElement>(null);
  // A focus may run over a page break: each page marks its part; the page where it starts scrolls.
  const start = focus ? Math.max(focus.start, range.start) : 0;
  const end = focus ? Math.min(Math.max(focus.end, focus.start + 1), range.end) : 0;
  const marked = focus !== null && end > start;
  const scrolls = marked && focus.start >= range.start;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new serial (the same range asked for again) scrolls again.
  useEffect(() => {
    if (scrolls) markRef.current?.scrollIntoView({ block: "center" });
  }, [scrolls, focus?.serial]);

  if (!marked) return <p>{text.slice(range.start, range.end)}</p>;
  return (
    <p>
      {text.slice(range.start, start)}
      <mark ref={markRef}>{text.slice(start, end)}</mark>
      {text.slice(end, range.end)}
    </p>
  );
}

/** The document's text, one block per page; focusable so the keyboard can scroll it. */
export function DocumentPages({ text, focus }: { text: DocumentText; focus: DocumentFocus | null }) {
  if (text.text.trim().length === 0) return <p className="pane-message muted">This document has no text.</p>;
  return (
    <section
      className="document-pages"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus for the keyboard to scroll it.
      tabIndex={0}
      aria-label="Document text"
    >
      {text.pages.map((range) => (
        <article key={range.page} className="document-page" aria-labelledby={`page-${range.page}`}>
          <h3 id={`page-${range.page}`}>Page {range.page}</h3>
          <PageText text={text.text} range={range} focus={focus} />
        </article>
      ))}
    </section>
  );
}
