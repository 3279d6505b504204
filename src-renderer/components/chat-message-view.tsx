import type { ChatMessage } from "../../src-main/api/contract";
import { AnswerActions } from "./answer-actions";
import { AnswerCitations } from "./answer-citations";
import { AnswerStatsLine } from "./answer-stats-line";
import { CompressionLine } from "./compression-line";
import { MarkdownText } from "./markdown-text";

interface ChatMessageViewProps {
  documentId: string;
  message: ChatMessage;
  canRegenerate: boolean;
}

export function ChatMessageView({ documentId, message, canRegenerate }: ChatMessageViewProps) {
  const stopped = message.error?.code === "cancelled" || message.stats?.stopReason === "cancelled";
  const isAnswer = message.role === "assistant";
  return (
    <article className={`message message-${message.role}`}>
      <p className="message-author">{isAnswer ? "Model" : "You"}</p>
      {message.text &&
        (isAnswer ? (
          <MarkdownText text={message.text} className="message-text markdown" />
        ) : (
          <p className="message-text">{message.text}</p>
        ))}
      {message.error && !stopped && <p className="message-error">{message.error.message}</p>}
      {stopped && <p className="message-note">Stopped.</p>}
      {message.stats && <AnswerStatsLine stats={message.stats} />}
      {message.stats?.compression && <CompressionLine report={message.stats.compression} />}
      {isAnswer && message.stats && <AnswerCitations documentId={documentId} message={message} />}
      {isAnswer && <AnswerActions documentId={documentId} message={message} canRegenerate={canRegenerate} />}
    </article>
  );
}
