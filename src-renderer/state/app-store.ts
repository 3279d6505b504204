import { createStore, type StateCreator, type StoreApi } from "zustand/vanilla";
import type { MainApi } from "../../src-main/api/contract";
import { createChatSlice, type ChatSlice } from "./chat-slice";
import { createConnectionSlice, type ConnectionSlice } from "./connection-slice";
import { createDocumentSlice, type DocumentSlice } from "./document-slice";
import { createEngineSlice, type EngineSlice } from "./engine-slice";
import { createNoticeSlice, type NoticeSlice } from "./notice-slice";

export type AppState = ConnectionSlice & NoticeSlice & EngineSlice & DocumentSlice & ChatSlice & {
  /** First fetch of everything the sidebar shows. */
  start(): Promise<void>;
};

export type AppStore = StoreApi<AppState>;

/** A slice of the store; `api` is how it reaches the main process. */
export type SliceCreator<Slice> = (api: MainApi) => StateCreator<AppState, [], [], Slice>;

export function createAppStore(api: MainApi): AppStore {
  return createStore<AppState>()((...store) => ({
    ...createConnectionSlice(api)(...store),
    ...createNoticeSlice(api)(...store),
    ...createEngineSlice(api)(...store),
    ...createDocumentSlice(api)(...store),
    ...createChatSlice(api)(...store),
    start: async () => {
      const [, get] = store;
      const { refreshStatus, refreshModels, refreshDocuments } = get();
      await Promise.all([refreshStatus(), refreshModels(), refreshDocuments()]);
    },
  }));
}
