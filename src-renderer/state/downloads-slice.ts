import type { DownloadState, EngineEvent, RecommendedModel } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import { trackLoadable, loadedValue, type Loadable } from "./loadable";
import { withoutKey } from "./records";

export type DownloadEvent = Extract<EngineEvent, { type: "download-progress" | "download-done" | "request-failed" }>;

export interface DownloadsSlice {
  recommendedModels?: Loadable<RecommendedModel[]>;
  /** Downloads by request id, including those started before this window was loaded. */
  downloads: Record<string, DownloadState>;
  /** Recommended models whose downloadModel() call has not replied yet. */
  startingDownloads: Record<string, true>;
  refreshRecommendedModels(): Promise<void>;
  refreshDownloads(): Promise<void>;
  download(recommendedId: string): Promise<void>;
  receiveDownloadEvent(event: DownloadEvent): void;
}

function byRequest(downloads: DownloadState[]): Record<string, DownloadState> {
  return Object.fromEntries(downloads.map((download) => [download.requestId, download]));
}

export const createDownloadsSlice: SliceCreator<DownloadsSlice> = (api) => (set, get) => ({
  downloads: {},
  startingDownloads: {},

  refreshRecommendedModels: () =>
    trackLoadable(
      get().recommendedModels,
      () => api.listRecommendedModels(),
      (recommendedModels) => set({ recommendedModels }),
    ).then(
      () => undefined,
      (error) => get().reportError("Could not list the recommended models", error),
    ),

  refreshDownloads: async () => {
    try {
      const listed = await api.listDownloads();
      // Events that arrived meanwhile are newer than the list.
      set((state) => ({ downloads: { ...byRequest(listed), ...state.downloads } }));
    } catch (error) {
      get().reportError("Could not list the downloads", error);
    }
  },

  download: async (recommendedId) => {
    set((state) => ({ startingDownloads: { ...state.startingDownloads, [recommendedId]: true } }));
    try {
      const { requestId } = await api.downloadModel({ recommendedId });
      const model = loadedValue(get().recommendedModels)?.find((m) => m.id === recommendedId);
      // Shown (and cancellable) before its first progress event.
      set((state) => ({
        downloads: {
          [requestId]: {
            requestId,
            recommendedId,
            fileName: model?.name ?? recommendedId,
            downloadedBytes: 0,
            totalBytes: model?.approximateSizeBytes ?? 0,
            status: "downloading",
          },
          ...state.downloads,
        },
      }));
    } catch (error) {
      get().reportError("Could not start the download", error);
    } finally {
      set((state) => ({ startingDownloads: withoutKey(state.startingDownloads, recommendedId) }));
    }
  },

  receiveDownloadEvent: (event) => {
    switch (event.type) {
      case "download-progress":
        set((state) => ({ downloads: { ...state.downloads, [event.requestId]: event.download } }));
        return;
      case "download-done":
        set((state) => ({ downloads: { ...state.downloads, [event.requestId]: event.download } }));
        void get().refreshModels();
        return;
      case "request-failed": {
        const download = get().downloads[event.requestId];
        if (!download) return;
        const status = event.error.code === "cancelled" ? "cancelled" : "failed";
        set((state) => ({
          downloads: { ...state.downloads, [event.requestId]: { ...download, status, error: event.error } },
        }));
        if (status === "failed") get().reportError(`Could not download ${download.fileName}`, event.error);
        return;
      }
    }
  },
});
