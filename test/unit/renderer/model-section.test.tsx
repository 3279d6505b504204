// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineStatus, ModelInfo } from "../../../src-main/api/contract";
import { ModelSection } from "../../../src-renderer/components/model-section";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderStarted, renderWithStore } from "./render-with-store";
import { cpuStatus, otherModel, tinyModel } from "./sample-data";

afterEach(cleanup);

const loadButtonsDisabled = () =>
  screen.getAllByRole("button", { name: "Load" }).map((button) => (button as HTMLButtonElement).disabled);

describe("ModelSection", () => {
  it("says it is looking while the lists load", () => {
    const api = fakeMainApi({
      listModels: () => deferred<ModelInfo[]>().promise,
      getStatus: () => deferred<EngineStatus>().promise,
    });
    const { store } = renderWithStore(<ModelSection />, api);
    act(() => {
      void store.getState().start();
    });
    expect(screen.getByText("Looking for models…")).toBeTruthy();
    expect(screen.getByText("Checking the hardware…")).toBeTruthy();
  });

  it("shows no model loaded, CPU compute and why the probe is unavailable", async () => {
    await renderStarted(<ModelSection />);
    expect(screen.getByText("No model loaded.")).toBeTruthy();
    expect(screen.getByText("CPU · 12.0 GiB of 24.0 GiB RAM free")).toBeTruthy();
    expect(screen.getByText("Unavailable: the probe addon is not built")).toBeTruthy();
  });

  it("names the GPU backend and devices", async () => {
    const gpu = {
      ...cpuStatus.gpu,
      backend: "cuda",
      deviceNames: ["NVIDIA H200"],
      vramTotalBytes: 2 * 1024 ** 3,
      vramFreeBytes: 1024 ** 3,
    };
    const status = { ...cpuStatus, gpu, attentionProbe: { available: true } };
    await renderStarted(<ModelSection />, fakeMainApi({ getStatus: async () => status }));
    expect(screen.getByText("GPU: cuda (NVIDIA H200) · 1.0 GiB of 2.0 GiB VRAM free")).toBeTruthy();
    expect(screen.getByText("Available")).toBeTruthy();
  });

  it("lists each model with a Load button inside its item, and loads the one clicked", async () => {
    const api = fakeMainApi({ listModels: async () => [tinyModel, otherModel] });
    await renderStarted(<ModelSection />, api);
    const items = screen.getAllByRole("listitem");
    expect(items.map((item) => item.textContent?.includes("Other Model"))).toEqual([false, true]);
    await act(async () => fireEvent.click(within(items[1]).getByRole("button", { name: "Load" })));
    expect(api.loadModel).toHaveBeenCalledWith({ modelId: "other" });
  });

  it("marks the loaded model and summarises its shape", async () => {
    const status = { ...cpuStatus, loadedModel: tinyModel };
    await renderStarted(<ModelSection />, fakeMainApi({ getStatus: async () => status }));
    const item = screen.getByRole("listitem");
    expect(within(item).getByText("Loaded")).toBeTruthy();
    expect(screen.getByText("4 layers · 8 heads (2 KV) · context 2,048 · plain prompts")).toBeTruthy();
  });

  it("disables every Load button while one model loads", async () => {
    const load = deferred<ModelInfo>();
    const api = fakeMainApi({ listModels: async () => [tinyModel, otherModel], loadModel: () => load.promise });
    const { store } = await renderStarted(<ModelSection />, api);
    fireEvent.click(screen.getAllByRole("button", { name: "Load" })[0]);
    expect(loadButtonsDisabled()).toEqual([true, true]);
    expect(screen.getByRole("status").textContent).toBe("Loading…");
    await act(async () => load.resolve(tinyModel));
    expect(store.getState().loadingModelId).toBeNull();
    expect(loadButtonsDisabled()).toEqual([false, false]);
  });

  it("offers a retry when the model list fails", async () => {
    const api = fakeMainApi({ listModels: async () => Promise.reject({ code: "internal", message: "x" }) });
    await renderStarted(<ModelSection />, api);
    api.listModels.mockResolvedValue([]);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Retry" })));
    expect(screen.getByText("No models yet. Open a GGUF file to add one.")).toBeTruthy();
  });

  it("opens a GGUF through the main process and refreshes the list", async () => {
    const { api } = await renderStarted(<ModelSection />, fakeMainApi({ chooseModelFile: async () => otherModel }));
    api.listModels.mockResolvedValue([tinyModel, otherModel]);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Open GGUF…" })));
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
  });
});
