// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage } from "../../../src-main/api/contract";
import { ChatPane } from "../../../src-renderer/components/chat-pane";
import { fakeMainApi } from "./fake-main-api";
import { renderWithStore } from "./render-with-store";
import { assistantMessage, cpuStatus, report, reportText, stats, tinyModel, userMessage } from "./sample-data";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function renderChat(messages: ChatMessage[], overrides = {}) {
  const api = fakeMainApi({
    getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }),
    getChat: async ({ documentId }) => ({ documentId, messages }),
    ...overrides,
  });
  const view = renderWithStore(<ChatPane documentId={report.id} />, api);
  await act(async () => {
    await view.store.getState().start();
  });
  return view;
}

const log = () => screen.getByRole("log", { name: "Chat" });

describe("answers in the chat", () => {
  it("renders an answer's Markdown as elements, never as HTML", async () => {
    await renderChat([userMessage("m1", "List?"), assistantMessage("m2", "**Two** pages:\n- one <b>x</b>\n- `two`")]);
    const answer = within(log()).getAllByRole("article")[1];
    expect(answer.querySelector(".message-text")?.innerHTML).toBe(
      "<p><strong>Two</strong> pages:</p><ul><li>one &lt;b&gt;x&lt;/b&gt;</li><li><code>two</code></li></ul>",
    );
  });

  it("copies an answer's text", async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await renderChat([userMessage("m1", "Q?"), assistantMessage("m2", "The answer.", { stats })]);
    await act(async () => fireEvent.click(within(log()).getByRole("button", { name: "Copy" })));
    expect(writeText).toHaveBeenCalledWith("The answer.");
    expect(within(log()).getByRole("button", { name: "Copied" })).toBeTruthy();
  });

  it("offers Regenerate on the latest answer only, and asks its question again", async () => {
    const { api } = await renderChat([
      userMessage("m1", "First?"),
      assistantMessage("m2", "One.", { stats }),
      userMessage("m3", "Second?"),
      assistantMessage("m4", "Two.", { stats }),
    ]);
    const regenerate = within(log()).getAllByRole("button", { name: "Regenerate" });
    expect(regenerate).toHaveLength(1);
    await act(async () => fireEvent.click(regenerate[0]));
    expect(api.ask).toHaveBeenCalledWith({ documentId: report.id, question: "Second?" });
  });

  it("offers the document's facts as questions for a completion model", async () => {
    const factText = { ...reportText, text: "The code of Bako is 48213. Then the secret code of Rufo is 5166." };
    await renderChat([], { getDocumentText: async () => factText });
    const examples = screen.getByRole("group", { name: "Example questions" });
    expect(
      within(examples)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["The code of Bako is"]);
    await act(async () => fireEvent.click(within(examples).getByRole("button")));
    expect((screen.getByRole("textbox", { name: "Question" }) as HTMLTextAreaElement).value).toBe(
      "The code of Bako is",
    );
  });

  it("shows reading progress with the page, compression passes and time left, and cancels it", async () => {
    const { store, api } = await renderChat([]);
    await act(async () => store.getState().loadTokenMap(report.id));
    const progress = {
      type: "ingest-progress" as const,
      requestId: "req-9",
      documentId: report.id,
      phase: "prefill" as const,
      totalTokens: 17,
    };
    await act(async () =>
      store.getState().receiveEngineEvent({
        type: "answer-started",
        requestId: "req-9",
        documentId: report.id,
        questionMessage: userMessage("m1", "Why?"),
      }),
    );
    vi.useFakeTimers({ now: 1_000_000 });
    await act(async () =>
      store.getState().receiveEngineEvent({ ...progress, doneTokens: 2, cacheCells: 2, passes: 0 }),
    );
    vi.setSystemTime(1_004_000);
    await act(async () =>
      store.getState().receiveEngineEvent({ ...progress, doneTokens: 11, cacheCells: 8, passes: 1 }),
    );
    vi.useRealTimers();
    // 9 tokens in 4 s; 6 left: about 2.7 s. Token 10 starts at character 16: page 2.
    expect(screen.getByText(/^Reading the document into the model:/).textContent).toBe(
      "Reading the document into the model: 11 of 17 tokens · page 2 of 2 · 1 compression pass · 8 cells in use · about 2.7 s left",
    );
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Cancel" })));
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "req-9" });
  });
});
