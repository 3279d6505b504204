import { MarkdownText } from "./markdown-text";

export function StreamingAnswerView({ text }: { text: string }) {
  return (
    <article className="message message-assistant message-streaming">
      <p className="message-author">Model</p>
      {text ? (
        <MarkdownText text={text} className="message-text markdown" />
      ) : (
        <p className="message-note">Thinking…</p>
      )}
    </article>
  );
}
