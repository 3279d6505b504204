import type { AppErrorInfo } from "../../src-main/api/app-error";
import type { ChatMessage, EngineEvent } from "../../src-main/api/contract";
import { withoutKey } from "./records";

export interface DocumentChat {
  /** Whether the stored history (getChat) has arrived; live messages are kept either way. */
  history: "loading" | "loaded" | "failed";
  messages: ChatMessage[];
}

/** An answer being generated: its text so far. */
export interface StreamingAnswer {
  requestId: string;
  /** Unknown only if a token arrives before both answer-started and ask()'s reply. */
  documentId: string | null;
  text: string;
}

export type IngestProgress = Extract<EngineEvent, { type: "ingest-progress" }>;

/** The latest progress of a document being read, with where this phase's timing started. */
export interface IngestTracking extends IngestProgress {
  phaseStartedAt: number;
  phaseStartTokens: number;
  receivedAt: number;
}

/** Estimated milliseconds left in the current phase, from its pace so far; null before any pace is known. */
export function ingestTimeLeftMs(tracking: IngestTracking): number | null {
  const done = tracking.doneTokens - tracking.phaseStartTokens;
  if (done <= 0 || tracking.receivedAt <= tracking.phaseStartedAt) return null;
  return ((tracking.receivedAt - tracking.phaseStartedAt) / done) * (tracking.totalTokens - tracking.doneTokens);
}

export function trackIngest(previous: IngestTracking | undefined, event: IngestProgress, now: number): IngestTracking {
  const samePhase = previous !== undefined && previous.phase === event.phase;
  return {
    ...event,
    phaseStartedAt: samePhase ? previous.phaseStartedAt : now,
    phaseStartTokens: samePhase ? previous.phaseStartTokens : event.doneTokens,
    receivedAt: now,
  };
}

/** Everything the chat pane shows, as it follows the engine's events. */
export interface Conversation {
  chats: Record<string, DocumentChat>;
  answers: Record<string, StreamingAnswer>;
  ingestProgress: Record<string, IngestTracking>;
  /** Requests that ended, so a late ask() reply does not revive them. */
  finishedRequestIds: Record<string, true>;
}

export const emptyConversation: Conversation = { chats: {}, answers: {}, ingestProgress: {}, finishedRequestIds: {} };

/** A failure the chat could not show in a message (its document is unknown). */
export interface UnplacedFailure {
  title: string;
  error: AppErrorInfo;
}

export function withMessage(chats: Conversation["chats"], documentId: string, message: ChatMessage) {
  const chat = chats[documentId] ?? { history: "loading", messages: [] };
  if (chat.messages.some((m) => m.id === message.id)) return chats;
  return { ...chats, [documentId]: { ...chat, messages: [...chat.messages, message] } };
}

/** The stored history first, then live messages it does not already hold. */
export function withHistory(chats: Conversation["chats"], documentId: string, history: ChatMessage[]) {
  const stored = new Set(history.map((m) => m.id));
  const live = (chats[documentId]?.messages ?? []).filter((m) => !stored.has(m.id));
  return { ...chats, [documentId]: { history: "loaded" as const, messages: [...history, ...live] } };
}

function finished(state: Conversation, requestId: string): Conversation {
  return {
    ...state,
    answers: withoutKey(state.answers, requestId),
    ingestProgress: withoutKey(state.ingestProgress, requestId),
    finishedRequestIds: { ...state.finishedRequestIds, [requestId]: true },
  };
}

/** ask() replied: make sure Stop can reach the request even before its first event. */
export function registerRequest(state: Conversation, requestId: string, documentId: string): Conversation {
  if (state.finishedRequestIds[requestId]) return state;
  const answer = state.answers[requestId];
  if (answer?.documentId) return state;
  return {
    ...state,
    answers: { ...state.answers, [requestId]: { requestId, documentId, text: answer?.text ?? "" } },
  };
}

/** The engine events a chat follows. */
export type ConversationEvent = Extract<
  EngineEvent,
  { type: "ingest-progress" | "answer-started" | "answer-token" | "answer-done" | "request-failed" }
>;

export function applyConversationEvent(
  state: Conversation,
  event: ConversationEvent,
  now: Date = new Date(),
): { conversation: Conversation; unplaced?: UnplacedFailure } {
  switch (event.type) {
    case "ingest-progress": {
      const done = event.doneTokens >= event.totalTokens;
      const ingestProgress = done
        ? withoutKey(state.ingestProgress, event.requestId)
        : {
            ...state.ingestProgress,
            [event.requestId]: trackIngest(state.ingestProgress[event.requestId], event, now.getTime()),
          };
      return { conversation: { ...state, ingestProgress } };
    }
    case "answer-started": {
      const { requestId, documentId } = event;
      const text = state.answers[requestId]?.text ?? "";
      return {
        conversation: {
          ...state,
          chats: withMessage(state.chats, documentId, event.questionMessage),
          answers: { ...state.answers, [requestId]: { requestId, documentId, text } },
        },
      };
    }
    case "answer-token": {
      const answer = state.answers[event.requestId] ?? { requestId: event.requestId, documentId: null, text: "" };
      return {
        conversation: {
          ...state,
          answers: { ...state.answers, [event.requestId]: { ...answer, text: answer.text + event.text } },
          ingestProgress: withoutKey(state.ingestProgress, event.requestId),
        },
      };
    }
    case "answer-done": {
      const documentId = state.answers[event.requestId]?.documentId;
      const conversation = finished(state, event.requestId);
      if (documentId) conversation.chats = withMessage(state.chats, documentId, event.message);
      return { conversation };
    }
    case "request-failed": {
      const answer = state.answers[event.requestId];
      const conversation = finished(state, event.requestId);
      const message = event.message ?? (answer ? partialAnswer(answer, event.error, now) : undefined);
      if (answer?.documentId && message) {
        conversation.chats = withMessage(state.chats, answer.documentId, message);
        return { conversation };
      }
      return { conversation, unplaced: { title: "A request failed", error: event.error } };
    }
  }
}

/** What the person saw stream in, kept with the reason it stopped. */
function partialAnswer(answer: StreamingAnswer, error: AppErrorInfo, now: Date): ChatMessage {
  return {
    id: `partial-${answer.requestId}`,
    role: "assistant",
    text: answer.text,
    createdAt: now.toISOString(),
    error,
  };
}
