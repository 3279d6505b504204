// @vitest-environment jsdom
import { describe, expect, it } from "vitest";

import {
  applyConversationEvent,
  emptyConversation,
  registerRequest,
  withHistory,
  type Conversation,
  type ConversationEvent,
} from "../../../src-renderer/state/conversation";
import { assistantMessage, stats, userMessage } from "./sample-data";

const question = userMessage("m1", "What is on page 2?");
const started: ConversationEvent = {
  type: "answer-started",
  requestId: "r1",
  documentId: "d1",
  questionMessage: question,
};
const now = new Date("2026-03-04T05:06:07.000Z");

function replay(events: ConversationEvent[], from: Conversation = emptyConversation) {
  let state = from;
  const unplaced = [];
  for (const event of events) {
    const result = applyConversationEvent(state, event, now);
    state = result.conversation;
    if (result.unplaced) unplaced.push(result.unplaced);
  }
  return { state, unplaced };
}

describe("applyConversationEvent", () => {
  it("adds the question and streams tokens into the document's answer", () => {
    const { state } = replay([
      started,
      { type: "answer-token", requestId: "r1", text: "Sec" },
      { type: "answer-token", requestId: "r1", text: "ond" },
    ]);
    expect(state.chats).toEqual({ d1: { history: "loading", messages: [question] } });
    expect(state.answers).toEqual({ r1: { requestId: "r1", documentId: "d1", text: "Second" } });
  });

  it("replaces the streamed text with the final message when the answer is done", () => {
    const final = assistantMessage("m2", "Second one", { stats });
    const { state } = replay([
      started,
      { type: "answer-token", requestId: "r1", text: "Second" },
      { type: "answer-done", requestId: "r1", message: final },
    ]);
    expect(state.chats.d1.messages).toEqual([question, final]);
    expect(state.answers).toEqual({});
    expect(state.finishedRequestIds).toEqual({ r1: true });
  });

  it("keeps the partial text with the error when a request fails without a message", () => {
    const error = { code: "internal" as const, message: "decode failed" };
    const { state, unplaced } = replay([
      started,
      { type: "answer-token", requestId: "r1", text: "Par" },
      { type: "request-failed", requestId: "r1", error },
    ]);
    expect(state.chats.d1.messages).toEqual([
      question,
      { id: "partial-r1", role: "assistant", text: "Par", createdAt: "2026-03-04T05:06:07.000Z", error },
    ]);
    expect(state.answers).toEqual({});
    expect(unplaced).toEqual([]);
  });

  it("uses the failure's own message when it carries one", () => {
    const error = { code: "cancelled" as const, message: "Cancelled." };
    const message = assistantMessage("m2", "Par", { error });
    const { state } = replay([started, { type: "request-failed", requestId: "r1", error, message }]);
    expect(state.chats.d1.messages).toEqual([question, message]);
  });

  it("reports a failure it cannot place in any chat", () => {
    const error = { code: "no-model" as const, message: "Load a model first." };
    const { state, unplaced } = replay([{ type: "request-failed", requestId: "r9", error }]);
    expect(unplaced).toEqual([{ title: "A request failed", error }]);
    expect(state.chats).toEqual({});
  });

  it("tracks ingest progress until it completes or the first token arrives", () => {
    const progress: ConversationEvent = {
      type: "ingest-progress",
      requestId: "r1",
      documentId: "d1",
      phase: "prefill",
      doneTokens: 256,
      totalTokens: 1024,
    };
    const during = replay([started, progress]).state;
    const at = now.getTime();
    expect(during.ingestProgress).toEqual({
      r1: { ...progress, phaseStartedAt: at, phaseStartTokens: 256, receivedAt: at },
    });
    expect(replay([{ ...progress, doneTokens: 1024 }], during).state.ingestProgress).toEqual({});
    expect(replay([{ type: "answer-token", requestId: "r1", text: "a" }], during).state.ingestProgress).toEqual({});
  });

  it("does not add a message twice when the same event is seen again", () => {
    const { state } = replay([started, started]);
    expect(state.chats.d1.messages).toEqual([question]);
  });
});

describe("registerRequest", () => {
  it("creates the answer so Stop can reach it before any event", () => {
    expect(registerRequest(emptyConversation, "r1", "d1").answers).toEqual({
      r1: { requestId: "r1", documentId: "d1", text: "" },
    });
  });

  it("gives an early token's answer its document", () => {
    const early = replay([{ type: "answer-token", requestId: "r1", text: "Hi" }]).state;
    expect(registerRequest(early, "r1", "d1").answers.r1).toEqual({ requestId: "r1", documentId: "d1", text: "Hi" });
  });

  it("does not revive a request that already finished", () => {
    const done = replay([
      started,
      { type: "answer-done", requestId: "r1", message: assistantMessage("m2", "ok") },
    ]).state;
    expect(registerRequest(done, "r1", "d1")).toBe(done);
  });
});

describe("withHistory", () => {
  it("puts stored messages first and keeps live ones it lacks, once each", () => {
    const live = replay([started]).state.chats;
    const stored = [userMessage("m0", "earlier"), question];
    expect(withHistory(live, "d1", stored)).toEqual({ d1: { history: "loaded", messages: stored } });
    const newer = userMessage("m3", "newer");
    const withNewer = { d1: { history: "loading" as const, messages: [question, newer] } };
    expect(withHistory(withNewer, "d1", stored).d1.messages).toEqual([...stored, newer]);
  });
});
