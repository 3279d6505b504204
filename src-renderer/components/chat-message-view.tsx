import type { ChatMessage } from "../../src-main/api/contract";
import { AnswerStatsLine } from "./answer-stats-line";

export function ChatMessageView({ message }: { message: ChatMessage }) {
  const stopped = message.error?.code === "cancelled" || message.stats?.stopReason === "cancelled";
  return (
    <article className={`message message-${message.role}`}>
      <p className="message-author">{message.role === "user" ? "You" : "Model"}</p>
      {message.text && <p className="message-text">{message.text}</p>}
      {message.error && !stopped && <p className="message-error">{message.error.message}</p>}
      {stopped && <p className="message-note">Stopped.</p>}
      {message.stats && <AnswerStatsLine stats={message.stats} />}
    </article>
  );
}
