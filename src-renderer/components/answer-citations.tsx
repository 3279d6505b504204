import { useEffect, useMemo } from "react";
import type { ChatMessage } from "../../src-main/api/contract";
import { citationsFor } from "../cache/citations";
import { useAppState } from "../state/store-context";

/** The pages an answer drew on, as links into the document view. */
export function AnswerCitations({ documentId, message }: { documentId: string; message: ChatMessage }) {
  const map = useAppState((s) => s.tokenMaps[documentId]);
  const text = useAppState((s) => s.documentTexts[documentId]);
  const loadTokenMap = useAppState((s) => s.loadTokenMap);
  const focusDocumentText = useAppState((s) => s.focusDocumentText);
  const report = message.stats?.compression;

  useEffect(() => {
    void loadTokenMap(documentId);
  }, [documentId, loadTokenMap]);

  const citations = useMemo(() => {
    if (map?.status !== "loaded" || text?.status !== "loaded" || !message.text.trim()) return [];
    const everything = [[0, map.value.offsets.length]];
    const kept = report ? report.layers.map((layer) => layer.visibleRanges) : everything;
    return citationsFor(kept, map.value, text.value, message.text);
  }, [map, text, report, message.text]);

  if (citations.length === 0) return null;
  return (
    <nav className="citations" aria-label="Sources">
      <span className="muted">Sources:</span>
      {citations.map((citation) => (
        <button
          key={citation.page}
          type="button"
          className="chip"
          title={citation.matchedTerms > 0 ? "Retained text holding the answer" : "Text the cache kept most of"}
          onClick={() => focusDocumentText(documentId, citation.start, citation.end)}
        >
          Page {citation.page}
        </button>
      ))}
    </nav>
  );
}
