// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { AppSettings } from "../../../src-main/api/contract";
import { DEFAULT_COMPRESSION } from "../../../src-main/api/compression-settings";
import { deferred, fakeMainApi } from "./fake-main-api";
import { flush, startedStore } from "./store-test-helpers";

describe("settings in the store", () => {
  it("reads the saved settings at start", async () => {
    const { store } = await startedStore();
    expect(store.getState().settings).toEqual({ status: "loaded", value: { compression: DEFAULT_COMPRESSION } });
  });

  it("shows a change at once and merges changes made while a save is on its way", async () => {
    const api = fakeMainApi();
    const { store } = await startedStore(api);
    const first = deferred<AppSettings>();
    api.updateSettings.mockReturnValueOnce(first.promise);

    const saving = store.getState().changeCompression({ budget: 512 });
    void store.getState().changeCompression({ budget: 256 });
    void store.getState().changeCompression({ method: "snapkv" });
    expect(store.getState().settings).toEqual({
      status: "loaded",
      value: { compression: { ...DEFAULT_COMPRESSION, budget: 256, method: "snapkv" } },
    });
    first.resolve({ compression: { ...DEFAULT_COMPRESSION, budget: 512 } });
    await saving;

    expect(api.updateSettings.mock.calls).toEqual([
      [{ compression: { budget: 512 } }],
      [{ compression: { budget: 256, method: "snapkv" } }],
    ]);
    expect(store.getState().settings).toEqual({
      status: "loaded",
      value: { compression: { ...DEFAULT_COMPRESSION, budget: 256, method: "snapkv" } },
    });
  });

  it("reports a refused change and shows the saved settings again", async () => {
    const api = fakeMainApi({
      updateSettings: async () => Promise.reject({ code: "invalid-request", message: "budget: too small" }),
    });
    const { store } = await startedStore(api);
    await store.getState().changeCompression({ budget: 16 });
    await flush();
    expect(store.getState().notices.map((n) => [n.title, n.error.message])).toEqual([
      ["Could not save the settings", "budget: too small"],
    ]);
    expect(store.getState().settings).toEqual({ status: "loaded", value: { compression: DEFAULT_COMPRESSION } });
  });

  it("restores the defaults", async () => {
    const api = fakeMainApi();
    const { store } = await startedStore(api);
    await store.getState().resetCompression();
    expect(api.updateSettings).toHaveBeenCalledWith({ compression: DEFAULT_COMPRESSION });
  });
});
