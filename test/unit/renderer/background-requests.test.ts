// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { loaded } from "../../../src-renderer/state/loadable";
import { fakeMainApi } from "./fake-main-api";
import { assistantMessage, cpuStatus, notes, report, tinyModel, userMessage } from "./sample-data";
import { halfDownloaded, smallLlama, tinyProfile } from "./sample-profile";
import { flush, startedStore } from "./store-test-helpers";

const progress = {
  type: "calibration-progress" as const,
  requestId: "cal-1",
  modelId: tinyModel.id,
  probesDone: 3,
  probesTotal: 40,
  probesCounted: 3,
  elapsedMs: 12_000,
  remainingMs: 148_000,
};

describe("calibration in the store", () => {
  it("follows a calibration from start to its profile, and refreshes the model lists", async () => {
    const { store, api } = await startedStore();
    await store.getState().calibrate(tinyModel.id, report.id);
    expect(api.calibrateModel).toHaveBeenCalledWith({ modelId: tinyModel.id, useDocumentId: report.id });
    expect(store.getState().calibrations).toEqual({
      "cal-1": { requestId: "cal-1", modelId: tinyModel.id, progress: null },
    });

    store.getState().receiveEngineEvent(progress);
    expect(store.getState().calibrations["cal-1"].progress).toEqual(progress);

    api.listModels.mockClear();
    store.getState().receiveEngineEvent({
      type: "calibration-done",
      requestId: "cal-1",
      modelId: tinyModel.id,
      profile: tinyProfile,
    });
    await flush();
    expect(store.getState().calibrations).toEqual({});
    expect(store.getState().profiles[tinyModel.id]).toEqual(loaded(tinyProfile));
    expect(api.listModels).toHaveBeenCalledTimes(1);
  });

  it("remembers a cancelled calibration without an error notice, and reports a failed one", async () => {
    const { store, api } = await startedStore();
    await store.getState().calibrate(tinyModel.id);
    store.getState().receiveEngineEvent({
      type: "request-failed",
      requestId: "cal-1",
      error: { code: "cancelled", message: "Cancelled." },
    });
    expect(store.getState().calibrationEnds).toEqual({ [tinyModel.id]: { code: "cancelled", message: "Cancelled." } });
    expect(store.getState().notices).toEqual([]);

    api.calibrateModel.mockResolvedValueOnce({ requestId: "cal-2" });
    await store.getState().calibrate(tinyModel.id);
    expect(store.getState().calibrationEnds).toEqual({});
    store.getState().receiveEngineEvent({
      type: "request-failed",
      requestId: "cal-2",
      error: { code: "internal", message: "Out of memory." },
    });
    expect(store.getState().notices.map((n) => [n.title, n.error.message])).toEqual([
      ["The calibration failed", "Out of memory."],
    ]);
  });

  it("does not bring back a calibration that ended before calibrateModel replied", async () => {
    const api = fakeMainApi();
    const { store } = await startedStore(api);
    api.calibrateModel.mockImplementationOnce(async () => {
      store.getState().receiveEngineEvent({
        type: "calibration-done",
        requestId: "cal-1",
        modelId: tinyModel.id,
        profile: tinyProfile,
      });
      return { requestId: "cal-1" };
    });
    await store.getState().calibrate(tinyModel.id);
    expect(store.getState().calibrations).toEqual({});
  });
});

describe("downloads in the store", () => {
  it("lists downloads already running (they outlive a reload) and follows their events", async () => {
    const api = fakeMainApi({
      listDownloads: async () => [halfDownloaded],
      listRecommendedModels: async () => [smallLlama],
    });
    const { store } = await startedStore(api);
    expect(store.getState().downloads).toEqual({ "dl-1": halfDownloaded });
    expect(store.getState().recommendedModels).toEqual(loaded([smallLlama]));

    const further = { ...halfDownloaded, downloadedBytes: 1.5 * 1024 ** 3 };
    store.getState().receiveEngineEvent({ type: "download-progress", requestId: "dl-1", download: further });
    expect(store.getState().downloads["dl-1"]).toEqual(further);

    api.listModels.mockClear();
    const done = { ...halfDownloaded, downloadedBytes: halfDownloaded.totalBytes, status: "done" as const };
    store.getState().receiveEngineEvent({ type: "download-done", requestId: "dl-1", download: done, model: tinyModel });
    await flush();
    expect(store.getState().downloads["dl-1"]).toEqual(done);
    expect(api.listModels).toHaveBeenCalledTimes(1);
  });

  it("shows a started download at once and marks a failure on it", async () => {
    const api = fakeMainApi({ listRecommendedModels: async () => [smallLlama] });
    const { store } = await startedStore(api);
    await store.getState().download(smallLlama.id);
    expect(store.getState().downloads["dl-1"]).toEqual({
      requestId: "dl-1",
      recommendedId: smallLlama.id,
      fileName: smallLlama.name,
      downloadedBytes: 0,
      totalBytes: smallLlama.approximateSizeBytes,
      status: "downloading",
    });
    const error = { code: "internal" as const, message: "Downloading failed: offline" };
    store.getState().receiveEngineEvent({ type: "request-failed", requestId: "dl-1", error });
    expect(store.getState().downloads["dl-1"]).toMatchObject({ status: "failed", error });
    expect(store.getState().notices.map((n) => n.title)).toEqual([`Could not download ${smallLlama.name}`]);
  });
});

describe("the rest of the window's state", () => {
  it("opens the demo: loads the bundled model, imports the sample and selects it", async () => {
    const bundled = { ...tinyModel, id: "demo", bundled: true };
    const api = fakeMainApi({ listModels: async () => [tinyModel, bundled], importSampleDocument: async () => notes });
    const { store } = await startedStore(api);
    await store.getState().startDemo();
    expect(api.loadModel).toHaveBeenCalledWith({ modelId: "demo" });
    expect(store.getState().selectedDocumentId).toBe(notes.id);
    expect(store.getState().documents).toEqual(loaded([report, notes]));
    expect(store.getState().startingDemo).toBe(false);
  });

  it("fetches a token map once per loaded model", async () => {
    const api = fakeMainApi();
    const { store } = await startedStore(api);
    await store.getState().loadTokenMap(report.id);
    expect(api.getTokenMap).not.toHaveBeenCalled();

    api.getStatus.mockResolvedValue({ ...cpuStatus, loadedModel: tinyModel });
    await store.getState().loadModel(tinyModel.id);
    await store.getState().loadTokenMap(report.id);
    await store.getState().loadTokenMap(report.id);
    expect(api.getTokenMap).toHaveBeenCalledTimes(1);

    const other = { ...tinyModel, id: "other" };
    api.loadModel.mockResolvedValueOnce(other);
    api.getStatus.mockResolvedValue({ ...cpuStatus, loadedModel: other });
    await store.getState().loadModel("other");
    await store.getState().loadTokenMap(report.id);
    expect(api.getTokenMap).toHaveBeenCalledTimes(2);
  });

  it("regenerates an answer by asking its question again", async () => {
    const question = userMessage("m1", "Which page?");
    const answer = assistantMessage("m2", "Page 2.");
    const api = fakeMainApi({ getChat: async ({ documentId }) => ({ documentId, messages: [question, answer] }) });
    const { store } = await startedStore(api);
    await store.getState().regenerate(report.id, "m2");
    expect(api.ask).toHaveBeenCalledWith({ documentId: report.id, question: "Which page?" });
  });

  it("hands a failure of an unknown request to the chat, which reports it", async () => {
    const { store } = await startedStore();
    store
      .getState()
      .receiveEngineEvent({ type: "request-failed", requestId: "nobody", error: { code: "internal", message: "x" } });
    expect(store.getState().notices.map((n) => n.title)).toEqual(["A request failed"]);
  });
});
