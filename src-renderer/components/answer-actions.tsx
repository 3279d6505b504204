import { useState } from "react";
import type { ChatMessage } from "../../src-main/api/contract";
import { useAppState } from "../state/store-context";

interface AnswerActionsProps {
  documentId: string;
  message: ChatMessage;
  /** Only the latest answer can be generated again. */
  canRegenerate: boolean;
}

export function AnswerActions({ documentId, message, canRegenerate }: AnswerActionsProps) {
  const regenerate = useAppState((s) => s.regenerate);
  const inspectAnswer = useAppState((s) => s.inspectAnswer);
  const reportError = useAppState((s) => s.reportError);
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(message.text);
      setCopied(true);
    } catch (error) {
      reportError("Could not copy the answer", error);
    }
  };

  return (
    <div className="answer-actions">
      <button type="button" className="quiet" onClick={() => void copy()} disabled={!message.text}>
        {copied ? "Copied" : "Copy"}
      </button>
      {canRegenerate && (
        <button type="button" className="quiet" onClick={() => void regenerate(documentId, message.id)}>
          Regenerate
        </button>
      )}
      {message.stats?.compression && (
        <button type="button" className="quiet" onClick={() => inspectAnswer(documentId, message.id)}>
          Show cache
        </button>
      )}
    </div>
  );
}
