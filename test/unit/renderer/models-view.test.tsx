// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RecommendedModel } from "../../../src-main/api/contract";
import { App } from "../../../src-renderer/components/app";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderStarted, renderWithStore } from "./render-with-store";
import { cpuStatus, tinyModel } from "./sample-data";
import { halfDownloaded, smallLlama } from "./sample-profile";

afterEach(cleanup);

async function openModels(api = fakeMainApi()) {
  const view = await renderStarted(<App />, api);
  await act(async () => view.store.getState().showView("models"));
  return view;
}

const panel = () => screen.getByRole("tabpanel", { name: "Models" });
const loadedApi = (overrides = {}) =>
  fakeMainApi({ getStatus: async () => ({ ...cpuStatus, loadedModel: tinyModel }), ...overrides });

describe("ModelsView", () => {
  it("asks for a model before calibrating", async () => {
    await openModels();
    expect(within(panel()).getByText("Load a model to calibrate it.")).toBeTruthy();
  });

  it("shows calibration progress with time left and cancels it", async () => {
    const probeReady = { ...cpuStatus, loadedModel: tinyModel, attentionProbe: { available: true } };
    const { store, api } = await openModels(loadedApi({ getStatus: async () => probeReady }));
    await act(async () => fireEvent.click(within(panel()).getByRole("button", { name: "Calibrate" })));
    expect(api.calibrateModel).toHaveBeenCalledWith({ modelId: tinyModel.id });
    expect(within(panel()).getByText("Starting the calibration…")).toBeTruthy();
    await act(async () =>
      store.getState().receiveEngineEvent({
        type: "calibration-progress",
        requestId: "cal-1",
        modelId: tinyModel.id,
        probesDone: 3,
        probesTotal: 40,
        probesCounted: 2,
        elapsedMs: 12_000,
        remainingMs: 148_000,
      }),
    );
    expect(
      within(panel()).getByText("Probe 3 of 40 (2 answered right) · 12.0 s elapsed · about 2 min 28 s left"),
    ).toBeTruthy();
    const bar = within(panel()).getByRole("progressbar", { name: "Calibration" }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([3, 40]);
    await act(async () => fireEvent.click(within(panel()).getByRole("button", { name: "Cancel calibration" })));
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "cal-1" });
  });

  it("says calibration needs the attention probe when it is missing", async () => {
    await openModels(loadedApi());
    expect(
      within(panel()).getByText("Calibration needs the attention probe: the probe addon is not built"),
    ).toBeTruthy();
  });

  it("lists recommended models: loading, failed with retry, and with a download in progress", async () => {
    const list = deferred<RecommendedModel[]>();
    const { store, api } = renderWithStore(<App />, fakeMainApi({ listRecommendedModels: () => list.promise }));
    let started!: Promise<void>;
    await act(async () => {
      started = store.getState().start();
      store.getState().showView("models");
    });
    expect(within(panel()).getByText("Loading the recommended models…")).toBeTruthy();
    await act(async () => {
      list.reject({ code: "internal", message: "x" });
      await started;
    });
    expect(within(panel()).getByText(/The recommended models are unavailable\./)).toBeTruthy();

    await act(async () => {
      store.getState().receiveEngineEvent({ type: "download-progress", requestId: "dl-1", download: halfDownloaded });
      store.setState({ recommendedModels: { status: "loaded", value: [smallLlama] } });
    });
    const item = within(panel()).getByRole("listitem");
    const bar = within(item).getByRole("progressbar", {
      name: `Downloading ${smallLlama.name}`,
    }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1024 ** 3, 2 * 1024 ** 3]);
    expect(within(item).getByText("1.0 GiB of 2.0 GiB")).toBeTruthy();
    await act(async () => fireEvent.click(within(item).getByRole("button", { name: "Cancel" })));
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "dl-1" });
  });

  it("starts a download", async () => {
    const { api } = await openModels(fakeMainApi({ listRecommendedModels: async () => [smallLlama] }));
    await act(async () => fireEvent.click(within(panel()).getByRole("button", { name: "Download" })));
    expect(api.downloadModel).toHaveBeenCalledWith({ recommendedId: smallLlama.id });
    expect(within(panel()).getByRole("button", { name: "Cancel" })).toBeTruthy();
  });
});
