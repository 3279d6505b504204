// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Chat, EngineEvent } from "../../../src-main/api/contract";
import { ChatPane } from "../../../src-renderer/components/chat-pane";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderWithStore } from "./render-with-store";
import { assistantMessage, report, stats, userMessage } from "./sample-data";

afterEach(cleanup);

const question = userMessage("m1", "What is on page 2?");

async function renderChat(api = fakeMainApi()) {
  const view = renderWithStore(<ChatPane documentId={report.id} />, api);
  await act(async () => view.store.getState().selectDocument(report.id));
  const send = (event: EngineEvent) => act(() => view.store.getState().receiveEngineEvent(event));
  return { ...view, api, send };
}

const log = () => screen.getByRole("log", { name: "Chat" });
const questionBox = () => screen.getByRole("textbox", { name: "Question" }) as HTMLTextAreaElement;
const articleTexts = () =>
  within(log())
    .getAllByRole("article")
    .map((m) => m.textContent);
const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;

describe("ChatPane", () => {
  it("says it is loading earlier messages", async () => {
    await renderChat(fakeMainApi({ getChat: () => deferred<Chat>().promise }));
    expect(log().textContent).toBe("Loading earlier messages…");
  });

  it("invites a first question when the chat is empty", async () => {
    await renderChat();
    expect(log().textContent).toBe("Ask a question about this document. Answers stream in here.");
    expect(button("Ask").disabled).toBe(true);
    expect(button("Stop").disabled).toBe(true);
  });

  it("shows stored messages with the answer's stats", async () => {
    const answer = assistantMessage("m2", "Second one", { stats });
    await renderChat(fakeMainApi({ getChat: async () => ({ documentId: report.id, messages: [question, answer] }) }));
    const messages = within(log()).getAllByRole("article");
    expect(messages.map((m) => m.textContent)).toEqual([
      "YouWhat is on page 2?",
      "ModelSecond one12 tokens · prefill 340 ms · decode 1.3 s · 132 cache cells (528.0 KiB)CopyRegenerate",
    ]);
  });

  it("says when earlier messages could not be loaded", async () => {
    await renderChat(fakeMainApi({ getChat: async () => Promise.reject({ code: "internal", message: "x" }) }));
    expect(log().textContent).toBe("Earlier messages could not be loaded.");
  });

  it("sends on Enter, keeps Shift+Enter for a new line, and clears the box", async () => {
    const { api } = await renderChat();
    fireEvent.change(questionBox(), { target: { value: "What is on page 2?" } });
    fireEvent.keyDown(questionBox(), { key: "Enter", shiftKey: true });
    expect(api.ask).not.toHaveBeenCalled();
    await act(async () => fireEvent.keyDown(questionBox(), { key: "Enter" }));
    expect(api.ask).toHaveBeenCalledWith({ documentId: report.id, question: "What is on page 2?" });
    expect(questionBox().value).toBe("");
  });

  it("streams tokens into the log and replaces them with the final answer", async () => {
    const { send } = await renderChat();
    fireEvent.change(questionBox(), { target: { value: "What is on page 2?" } });
    await act(async () => fireEvent.click(button("Ask")));
    send({ type: "answer-started", requestId: "req-1", documentId: report.id, questionMessage: question });
    send({ type: "answer-token", requestId: "req-1", text: "Sec" });
    expect(log().getAttribute("aria-busy")).toBe("true");
    expect(articleTexts()).toEqual(["YouWhat is on page 2?", "ModelSec"]);
    send({ type: "answer-token", requestId: "req-1", text: "ond one" });
    expect(within(log()).getAllByRole("article")[1].textContent).toBe("ModelSecond one");
    expect(button("Ask").disabled).toBe(true);
    expect(button("Stop").disabled).toBe(false);

    send({ type: "answer-done", requestId: "req-1", message: assistantMessage("m2", "Second one", { stats }) });
    const messages = within(log()).getAllByRole("article");
    expect(messages).toHaveLength(2);
    expect(messages[1].textContent).toBe(
      "ModelSecond one12 tokens · prefill 340 ms · decode 1.3 s · 132 cache cells (528.0 KiB)CopyRegenerate",
    );
    expect(log().getAttribute("aria-busy")).toBeNull();
    expect(button("Stop").disabled).toBe(true);
  });

  it("stops the answer being generated", async () => {
    const { api, send } = await renderChat();
    send({ type: "answer-started", requestId: "req-7", documentId: report.id, questionMessage: question });
    await act(async () => fireEvent.click(button("Stop")));
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "req-7" });
    send({
      type: "answer-done",
      requestId: "req-7",
      message: assistantMessage("m2", "Sec", { stats: { ...stats, stopReason: "cancelled" } }),
    });
    expect(within(log()).getAllByRole("article")[1].textContent).toContain("SecStopped.");
  });

  it("shows a failed answer's error in its message", async () => {
    const { send } = await renderChat();
    send({ type: "answer-started", requestId: "req-1", documentId: report.id, questionMessage: question });
    send({ type: "answer-token", requestId: "req-1", text: "Par" });
    const error = { code: "internal" as const, message: "The model stopped responding." };
    send({ type: "request-failed", requestId: "req-1", error });
    expect(within(log()).getAllByRole("article")[1].textContent).toBe(
      "ModelParThe model stopped responding.CopyRegenerate",
    );
  });

  it("shows ingest progress until the answer starts streaming", async () => {
    const { send } = await renderChat();
    send({ type: "answer-started", requestId: "req-1", documentId: report.id, questionMessage: question });
    send({
      type: "ingest-progress",
      requestId: "req-1",
      documentId: report.id,
      phase: "prefill",
      doneTokens: 1536,
      totalTokens: 4096,
    });
    const bar = screen.getByRole("progressbar", { name: "Reading the document into the model" }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1536, 4096]);
    expect(screen.getByText("Reading the document into the model: 1,536 of 4,096 tokens")).toBeTruthy();
    expect(within(log()).getAllByRole("article")[1].textContent).toBe("ModelThinking…");
    send({ type: "answer-token", requestId: "req-1", text: "A" });
    expect(screen.queryByRole("progressbar")).toBeNull();
  });
});
