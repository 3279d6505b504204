import { createStore, type StateCreator, type StoreApi } from "zustand/vanilla";
import type { EngineEvent, MainApi } from "../../src-main/api/contract";
import { createCalibrationSlice, type CalibrationSlice } from "./calibration-slice";
import { createChatSlice, type ChatSlice } from "./chat-slice";
import { createCompareSlice, type CompareSlice } from "./compare-slice";
import { createConnectionSlice, type ConnectionSlice } from "./connection-slice";
import { createDemoSlice, type DemoSlice } from "./demo-slice";
import { createDocumentSlice, type DocumentSlice } from "./document-slice";
import { createDownloadsSlice, type DownloadsSlice } from "./downloads-slice";
import { createEngineSlice, type EngineSlice } from "./engine-slice";
import { createNoticeSlice, type NoticeSlice } from "./notice-slice";
import { createSettingsSlice, type SettingsSlice } from "./settings-slice";
import { createTokenMapSlice, type TokenMapSlice } from "./token-map-slice";
import { createViewSlice, type ViewSlice } from "./view-slice";

export type AppState = ConnectionSlice &
  NoticeSlice &
  EngineSlice &
  DocumentSlice &
  ChatSlice &
  SettingsSlice &
  TokenMapSlice &
  CalibrationSlice &
  DownloadsSlice &
  CompareSlice &
  ViewSlice &
  DemoSlice & {
    /** First fetch of everything the window shows. */
    start(): Promise<void>;
    /** Hands each event to the part of the window that follows its request. */
    receiveEngineEvent(event: EngineEvent): void;
  };

export type AppStore = StoreApi<AppState>;

/** A slice of the store; `api` is how it reaches the main process. */
export type SliceCreator<Slice> = (api: MainApi) => StateCreator<AppState, [], [], Slice>;

export function createAppStore(api: MainApi): AppStore {
  return createStore<AppState>()((...store) => {
    const [, get] = store;
    return {
      ...createConnectionSlice(api)(...store),
      ...createNoticeSlice(api)(...store),
      ...createEngineSlice(api)(...store),
      ...createDocumentSlice(api)(...store),
      ...createChatSlice(api)(...store),
      ...createSettingsSlice(api)(...store),
      ...createTokenMapSlice(api)(...store),
      ...createCalibrationSlice(api)(...store),
      ...createDownloadsSlice(api)(...store),
      ...createCompareSlice(api)(...store),
      ...createViewSlice(api)(...store),
      ...createDemoSlice(api)(...store),

      start: async () => {
        const state = get();
        await Promise.all([
          state.refreshStatus(),
          state.refreshModels(),
          state.refreshDocuments(),
          state.refreshSettings(),
          state.refreshRecommendedModels(),
          state.refreshDownloads(),
        ]);
      },

      receiveEngineEvent: (event) => {
        const state = get();
        switch (event.type) {
          case "calibration-progress":
          case "calibration-done":
            return state.receiveCalibrationEvent(event);
          case "download-progress":
          case "download-done":
            return state.receiveDownloadEvent(event);
          case "request-failed":
            if (state.calibrations[event.requestId]) return state.receiveCalibrationEvent(event);
            if (state.downloads[event.requestId]) return state.receiveDownloadEvent(event);
        }
        if (state.receiveCompareEvent(event)) return;
        state.receiveConversationEvent(event);
      },
    };
  });
}
