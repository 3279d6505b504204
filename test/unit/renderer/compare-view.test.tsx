// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../../src-renderer/components/app";
import { fakeMainApi } from "./fake-main-api";
import { renderStarted, showViewLoaded } from "./render-with-store";
import { assistantMessage, compressedStats, cpuStatus, tinyModel } from "./sample-data";

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openCompare(api = fakeMainApi({ getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }) })) {
  const view = await renderStarted(<App />, api);
  await showViewLoaded(view, "compare");
  return view;
}

const panel = () => screen.getByRole("tabpanel", { name: "Compare" });

describe("CompareView", () => {
  it("asks for a document when none is open", async () => {
    await openCompare(fakeMainApi({ listDocuments: async () => [] }));
    expect(within(panel()).getByText("Open a document to compare methods on it.")).toBeTruthy();
  });

  it("needs a loaded model and a question before it compares", async () => {
    await openCompare(fakeMainApi());
    expect(within(panel()).getByText("Load a model first.")).toBeTruthy();
    expect((within(panel()).getByRole("button", { name: "Compare" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("runs both sides with their settings and shows each answer with its charts, side by side", async () => {
    const { api, store } = await openCompare();
    fireEvent.change(within(panel()).getByRole("textbox", { name: "Question to compare" }), {
      target: { value: "What is on page 2?" },
    });
    fireEvent.change(within(panel()).getByRole("combobox", { name: "Method B" }), {
      target: { value: "streaming-llm" },
    });
    const budgetB = within(panel()).getByRole("spinbutton", { name: "Budget B" });
    fireEvent.change(budgetB, { target: { value: "256" } });
    fireEvent.keyDown(budgetB, { key: "Enter" });
    api.ask.mockResolvedValueOnce({ requestId: "req-1" }).mockResolvedValueOnce({ requestId: "req-2" });
    await act(async () => fireEvent.click(within(panel()).getByRole("button", { name: "Compare" })));
    expect(api.ask).toHaveBeenLastCalledWith({
      documentId: "doc-report",
      question: "What is on page 2?",
      compression: { method: "compresskv" },
      saveToChat: false,
    });
    const sideA = within(panel()).getByRole("article", { name: "Side A" });
    expect(sideA.getAttribute("aria-busy")).toBe("true");
    expect(within(panel()).getByRole("article", { name: "Side B" }).textContent).toContain(
      "Waits for the other side to finish.",
    );

    await act(async () => {
      store.getState().receiveEngineEvent({ type: "answer-token", requestId: "req-1", text: "Second" });
      store.getState().receiveEngineEvent({
        type: "answer-done",
        requestId: "req-1",
        message: assistantMessage("a1", "Second one", { stats: compressedStats }),
      });
    });
    expect(api.ask).toHaveBeenLastCalledWith({
      documentId: "doc-report",
      question: "What is on page 2?",
      compression: { method: "streaming-llm", budget: 256 },
      saveToChat: false,
    });
    expect(within(sideA).getByRole("table", { name: "Side A: per-layer cache" })).toBeTruthy();
    expect(within(sideA).getByText("Second one")).toBeTruthy();

    await act(async () =>
      store.getState().receiveEngineEvent({
        type: "request-failed",
        requestId: "req-2",
        error: { code: "internal", message: "The model stopped responding." },
      }),
    );
    expect(within(panel()).getByRole("article", { name: "Side B" }).textContent).toContain(
      "The model stopped responding.",
    );
    expect((within(panel()).getByRole("button", { name: "Compare" }) as HTMLButtonElement).disabled).toBe(false);
  });
});
