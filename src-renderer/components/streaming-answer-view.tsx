export function StreamingAnswerView({ text }: { text: string }) {
  return (
    <article className="message message-assistant message-streaming">
      <p className="message-author">Model</p>
      {text ? <p className="message-text">{text}</p> : <p className="message-note">Thinking…</p>}
    </article>
  );
}
