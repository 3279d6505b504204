// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { AppSettings } from "../../../src-main/api/contract";
import { DEFAULT_COMPRESSION } from "../../../src-main/api/compression-settings";
import { App } from "../../../src-renderer/components/app";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderStarted, renderWithStore } from "./render-with-store";
import { cpuStatus, reportTokenMap, tinyModel } from "./sample-data";

afterEach(cleanup);

const panel = () => screen.getByRole("tabpanel", { name: "Settings" });

describe("SettingsView", () => {
  it("says it is reading the settings, then offers a retry when they cannot be read", async () => {
    const settings = deferred<AppSettings>();
    const { store } = renderWithStore(<App />, fakeMainApi({ getSettings: () => settings.promise }));
    let started!: Promise<void>;
    await act(async () => {
      started = store.getState().start();
      store.getState().showView("settings");
    });
    expect(within(panel()).getByText("Reading the settings…")).toBeTruthy();
    await act(async () => {
      settings.reject({ code: "internal", message: "x" });
      await started;
    });
    expect(within(panel()).getByText(/The settings could not be read\./)).toBeTruthy();
  });

  it("saves each change and restores the defaults", async () => {
    const view = await renderStarted(<App />);
    await act(async () => view.store.getState().showView("settings"));
    await act(async () =>
      fireEvent.change(within(panel()).getByRole("combobox", { name: "Method" }), { target: { value: "pyramidkv" } }),
    );
    await act(async () => fireEvent.click(within(panel()).getByRole("radio", { name: "Exact per layer" })));
    await act(async () => fireEvent.click(within(panel()).getByRole("radio", { name: "Question-agnostic" })));
    const kernel = within(panel()).getByRole("spinbutton", { name: "Pooling kernel" });
    fireEvent.change(kernel, { target: { value: "8" } });
    await act(async () => fireEvent.blur(kernel));
    await act(async () => fireEvent.click(within(panel()).getByRole("button", { name: "Restore defaults" })));
    expect(view.api.updateSettings.mock.calls.map(([request]) => request.compression)).toEqual([
      { method: "pyramidkv" },
      { plan: "exact" },
      { questionAware: false, reservoirMultiple: 0 },
      // Kernels are odd: 8 becomes 9.
      { pooling: { kind: "avg", kernel: 9 } },
      DEFAULT_COMPRESSION,
    ]);
  });
});

describe("BudgetBar", () => {
  it("is absent until a model is loaded", async () => {
    await renderStarted(<App />);
    expect(screen.queryByRole("slider", { name: "Memory budget" })).toBeNull();
  });

  it("shows the budget in tokens and bytes beside the document's full cache and the free memory, and saves a move", async () => {
    const api = fakeMainApi({
      getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }),
      getSettings: async () => ({ compression: { ...DEFAULT_COMPRESSION, budget: 64 } }),
    });
    await renderStarted(<App />, api);
    const bar = screen.getByRole("region", { name: "Memory budget" });
    // The token map of reportText has 13 document tokens: the slider ends at the 64-token minimum.
    expect(reportTokenMap.offsets.filter((o) => o >= 0)).toHaveLength(13);
    expect(within(bar).getByText("64 tokens · 256.0 KiB")).toBeTruthy();
    expect(bar.querySelector(".budget-figures")?.textContent).toBe(
      "Full cache of this document: 13 tokens · 52.0 KiB · Free RAM fits 3,145,728 tokens (12.0 GiB) · the whole document fits the budget: nothing is evicted",
    );
    const budget = within(bar).getByRole("spinbutton", { name: "Budget in tokens" });
    fireEvent.change(budget, { target: { value: "1000" } });
    await act(async () => fireEvent.keyDown(budget, { key: "Enter" }));
    expect(api.updateSettings).toHaveBeenLastCalledWith({ compression: { budget: 1000 } });
    expect(within(bar).getByText("1,000 tokens · 3.9 MiB")).toBeTruthy();
    const slider = within(bar).getByRole("slider", { name: "Memory budget" }) as HTMLInputElement;
    expect(slider.getAttribute("aria-valuetext")).toBe("1,000 tokens, 3.9 MiB");
    await act(async () => fireEvent.change(slider, { target: { value: "0" } }));
    expect(api.updateSettings).toHaveBeenLastCalledWith({ compression: { budget: 64 } });
  });

  it("shows the answer budget and the reservoir, in tokens and bytes, and the memory at the peak", async () => {
    // A budget below the document's 13 tokens: read into a reservoir of 8 budgets, cut to the document.
    const api = fakeMainApi({
      getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }),
      getSettings: async () => ({ compression: { ...DEFAULT_COMPRESSION, budget: 4 } }),
    });
    await renderStarted(<App />, api);
    const bar = screen.getByRole("region", { name: "Memory budget" });
    expect(
      within(bar).getByText("Answer 4 tokens · 16.0 KiB · reservoir 13 tokens · 52.0 KiB · peak 8.1 MiB"),
    ).toBeTruthy();
    expect(bar.querySelector(".budget-reservoir")?.textContent).toBe(
      "Read once into a reservoir of 13 tokens (52.0 KiB, the whole document); each question keeps 4 of them · " +
        "memory at its peak: 2,061 tokens · 8.1 MiB",
    );
  });
});
