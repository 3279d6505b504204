import { useEffect, useRef } from "react";
import { selectAnswerFor } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { ChatMessageView } from "./chat-message-view";
import { StreamingAnswerView } from "./streaming-answer-view";

const NO_MESSAGES: never[] = [];

/** Follows new text only while the person is already at the bottom, so reading back isn't interrupted. */
function useStickToBottom(dependency: unknown) {
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `dependency` is the trigger (new text), not a value the effect reads.
  useEffect(() => {
    const element = log.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [dependency]);
  const onScroll = () => {
    const element = log.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };
  return { log, onScroll };
}

export function ChatLog({ documentId }: { documentId: string }) {
  const chat = useAppState((s) => s.chats[documentId]);
  const answer = useAppState(selectAnswerFor(documentId));
  const messages = chat?.messages ?? NO_MESSAGES;
  const { log, onScroll } = useStickToBottom(`${messages.length}:${answer?.text.length ?? -1}`);

  return (
    <div
      ref={log}
      className="chat-log"
      role="log"
      aria-label="Chat"
      aria-busy={answer ? true : undefined}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus for the keyboard to scroll it.
      tabIndex={0}
      onScroll={onScroll}
    >
      {chat?.history === "loading" && messages.length === 0 && (
        <p className="pane-message muted">Loading earlier messages…</p>
      )}
      {chat?.history === "failed" && <p className="pane-message muted">Earlier messages could not be loaded.</p>}
      {chat?.history === "loaded" && messages.length === 0 && !answer && (
        <p className="pane-message muted">Ask a question about this document. Answers stream in here.</p>
      )}
      {messages.map((message, index) => (
        <ChatMessageView
          key={message.id}
          documentId={documentId}
          message={message}
          canRegenerate={!answer && index === messages.length - 1 && message.role === "assistant"}
        />
      ))}
      {answer && <StreamingAnswerView text={answer.text} />}
    </div>
  );
}
