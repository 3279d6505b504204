// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MainApi, TokenMap } from "../../../src-main/api/contract";
import { App } from "../../../src-renderer/components/app";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderStarted, showViewLoaded } from "./render-with-store";
import {
  assistantMessage,
  compressedStats,
  cpuStatus,
  report,
  reportTokenMap,
  tinyModel,
  userMessage,
} from "./sample-data";
import { tinyProfile } from "./sample-profile";

beforeEach(() => {
  // jsdom has no canvas; the heat map draws nothing there and everything else still renders.
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  // Nor does it lay anything out to scroll.
  Element.prototype.scrollIntoView = vi.fn();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A chat whose one answer carries `stats`. */
const chatAnsweredWith = (stats: typeof compressedStats) => [
  userMessage("m1", "What is on page 2?"),
  assistantMessage("m2", "Second one", { stats }),
];

function loadedApi(overrides: Partial<MainApi> = {}, stats = compressedStats) {
  return fakeMainApi({
    getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }),
    getChat: async ({ documentId }) => ({ documentId, messages: chatAnsweredWith(stats) }),
    ...overrides,
  });
}

async function openCacheView(api: ReturnType<typeof fakeMainApi>) {
  const view = await renderStarted(<App />, api);
  await showViewLoaded(view, "cache");
  return view;
}

const cachePanel = () => screen.getByRole("tabpanel", { name: "Cache" });

describe("CacheView", () => {
  it("asks for a document when none is open", async () => {
    await openCacheView(fakeMainApi({ listDocuments: async () => [] }));
    expect(within(cachePanel()).getByText("Open a document and ask a question to see its cache here.")).toBeTruthy();
  });

  it("says when no answer of the document was compressed yet", async () => {
    await openCacheView(loadedApi({ getChat: async ({ documentId }) => ({ documentId, messages: [] }) }));
    expect(within(cachePanel()).getByText(/^No compressed answer yet for report\.pdf\./)).toBeTruthy();
  });

  it("shows the latest compressed answer's per-layer numbers and what was used instead of CompressKV", async () => {
    await openCacheView(loadedApi());
    const table = within(cachePanel()).getByRole("table", { name: "Per-layer cache" });
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => Array.from(row.children, (cell) => cell.textContent));
    expect(rows).toEqual([
      ["0", "compressed", "8", "8", "90%"],
      ["1", "compressed", "8", "8", "not measured"],
    ]);
    expect(within(cachePanel()).getByRole("note").textContent).toBe(
      "Asked for compresskv, used snapkv: CompressKV needs a calibrated model",
    );
    expect(within(cachePanel()).getByText("Retained tokens: 2 layers × 17 document positions")).toBeTruthy();
  });

  it("shows a sliding-window layer as such: its row in the table, the chart's note and the heat map's wording", async () => {
    const compression = compressedStats.compression!;
    const windowed = {
      ...compressedStats,
      compression: { ...compression, layers: [{ ...compression.layers[0], window: true }, compression.layers[1]] },
    };
    await openCacheView(loadedApi({}, windowed));
    const table = within(cachePanel()).getByRole("table", { name: "Per-layer cache" });
    expect(
      within(table)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.children[1].textContent),
    ).toEqual(["sliding window", "compressed"]);
    expect(within(cachePanel()).getByText(/1 of 2 layers keep a sliding window/)).toBeTruthy();
    expect(
      within(cachePanel()).getByText(/rows of sliding-window layers \(0\) show the window their cache holds/),
    ).toBeTruthy();
    const heatmap = within(cachePanel()).getByRole("img", { name: /^Retained tokens, layer by document position/ });
    for (let i = 0; i < 11; i++) fireEvent.keyDown(heatmap, { key: "ArrowRight" });
    expect(
      screen.getByText("Layer 0 (sliding window) · token 11 · page 2 · in the window", { selector: "p" }),
    ).toBeTruthy();
    for (let i = 0; i < 5; i++) fireEvent.keyDown(heatmap, { key: "ArrowLeft" });
    // Position 6 lies between layer 0's kept ranges [0, 2) and [10, 16).
    expect(
      screen.getByText(/^Layer 0 \(sliding window\) · token 6 · .* · outside the window$/, { selector: "p" }),
    ).toBeTruthy();
  });

  it("shows an answer read from a reservoir: its kept cells inside the reservoir, the history note", async () => {
    const compression = compressedStats.compression!;
    const fromReservoir = {
      ...compressedStats,
      compression: {
        ...compression,
        reading: "reservoir" as const,
        reservoirCells: 14,
        reservoirRanges: [0, 4, 6, 16],
        history: { tokens: 9, shareCells: 2, handling: "compressed" as const, droppedTurns: 1 },
      },
    };
    await openCacheView(loadedApi({}, fromReservoir));
    const panel = cachePanel();
    expect(within(panel).getByText(/shared plan · question-aware from a reservoir of 14 ·/)).toBeTruthy();
    expect(within(panel).getByText(/chosen out of a reservoir of 14 \(the rest is masked, not evicted\)/)).toBeTruthy();
    expect(
      within(panel).getByText(
        "1 oldest turn dropped to fit; the chat so far (9 tokens, past its share of 2) was compressed with the document, within the budget",
      ),
    ).toBeTruthy();
    expect(within(panel).getByText(/light: the rest of the reservoir \(14 tokens\)/)).toBeTruthy();
    const heatmap = within(panel).getByRole("img", { name: /^Retained tokens, layer by document position/ });
    // Position 3: in the reservoir [0, 4), not in layer 0's kept [0, 2) or [10, 16); position 5: evicted.
    for (let i = 0; i < 3; i++) fireEvent.keyDown(heatmap, { key: "ArrowRight" });
    expect(
      screen.getByText(/^Layer 0 · token 3 · .* · in the reservoir, not kept for this answer$/, { selector: "p" }),
    ).toBeTruthy();
    for (let i = 0; i < 2; i++) fireEvent.keyDown(heatmap, { key: "ArrowRight" });
    expect(screen.getByText(/^Layer 0 · token 5 · .* · evicted$/, { selector: "p" })).toBeTruthy();
  });

  it("moves over the heat map with the keyboard and opens the document at the chosen text", async () => {
    const { store } = await openCacheView(loadedApi());
    const heatmap = within(cachePanel()).getByRole("img", { name: /^Retained tokens, layer by document position/ });
    // 17 positions: each arrow moves one; position 11 holds "co" of "text.Second" (offset 18; pages 1 and 2).
    for (let i = 0; i < 11; i++) fireEvent.keyDown(heatmap, { key: "ArrowRight" });
    fireEvent.keyDown(heatmap, { key: "ArrowDown" });
    expect(screen.getByText("Layer 1 · token 11 · page 2 · kept", { selector: "p" })).toBeTruthy();
    await act(async () => fireEvent.keyDown(heatmap, { key: "Enter" }));
    expect(store.getState().activeView).toBe("read");
    expect(store.getState().documentFocus).toMatchObject({ documentId: report.id, start: 11, end: 22 });
    expect(screen.getAllByText(/./, { selector: "mark" }).map((mark) => mark.textContent)).toEqual(["text.", "Second"]);
    expect(Element.prototype.scrollIntoView).toHaveBeenCalledTimes(1);
  });

  it("says it is mapping tokens while the token map loads, and offers a retry when it fails", async () => {
    const pending = deferred<TokenMap>();
    await openCacheView(loadedApi({ getTokenMap: () => pending.promise }));
    expect(within(cachePanel()).getByText("Mapping tokens to the text…")).toBeTruthy();
    await act(async () => pending.reject({ code: "no-model", message: "Load a model first." }));
    expect(within(cachePanel()).getByText(/The heat map needs the token map: Load a model first\./)).toBeTruthy();
    expect(within(cachePanel()).getByRole("button", { name: "Retry" })).toBeTruthy();
  });

  it("shows the model's head scores with the chosen heads once calibrated, and a way to calibrate before", async () => {
    const calibrated = await openCacheView(loadedApi({ getModelProfile: async () => tinyProfile }));
    const chosen = within(cachePanel()).getByRole("table", { name: "Chosen heads per layer" });
    expect(
      within(chosen)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["Layer 01, 3", "Layer 12, 3"]);
    calibrated.unmount();

    const { store } = await openCacheView(loadedApi());
    expect(within(cachePanel()).getByText(/This model is not calibrated yet/)).toBeTruthy();
    await act(async () => fireEvent.click(within(cachePanel()).getByRole("button", { name: "Calibrate it" })));
    expect(store.getState().activeView).toBe("models");
  });
});

describe("citations in the chat", () => {
  it("cites the page of the retained text holding the answer and opens it there", async () => {
    const { store } = await renderStarted(<App />, loadedApi());
    const sources = await screen.findByRole("navigation", { name: "Sources" });
    const page2 = within(sources).getByRole("button", { name: "Page 2" });
    await act(async () => fireEvent.click(page2));
    expect(store.getState().documentFocus).toMatchObject({ documentId: report.id, start: 16, end: 22 });
    expect(screen.getByText("Second", { selector: "mark" })).toBeTruthy();
    expect(reportTokenMap.offsets[10]).toBe(16);
  });
});
