import { selectCompareRunning } from "../state/compare-slice";
import { selectAnswerFor } from "../state/selectors";
import { useAppState } from "../state/store-context";

export function QuestionForm({ documentId }: { documentId: string }) {
  const draft = useAppState((s) => s.drafts[documentId] ?? "");
  const asking = useAppState((s) => s.askingDocumentIds[documentId] === true);
  const answer = useAppState(selectAnswerFor(documentId));
  const setDraft = useAppState((s) => s.setDraft);
  const ask = useAppState((s) => s.ask);
  const cancel = useAppState((s) => s.cancel);
  const comparing = useAppState(selectCompareRunning);
  const busy = asking || answer !== null || comparing;

  return (
    <form
      className="question-form"
      onSubmit={(event) => {
        event.preventDefault();
        void ask(documentId);
      }}
    >
      <textarea
        aria-label="Question"
        placeholder="Ask about this document (Enter sends, Shift+Enter for a new line)"
        rows={3}
        value={draft}
        onChange={(event) => setDraft(documentId, event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            if (!busy) void ask(documentId);
          }
        }}
      />
      <div className="question-actions">
        <button type="submit" className="primary" disabled={busy || draft.trim().length === 0}>
          Ask
        </button>
        <button type="button" disabled={!answer} onClick={() => answer && void cancel(answer.requestId)}>
          Stop
        </button>
      </div>
    </form>
  );
}
