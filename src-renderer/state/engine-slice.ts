import type { EngineStatus, ModelInfo } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import { loaded, trackLoadable, type Loadable } from "./loadable";

export interface EngineSlice {
  engineStatus?: Loadable<EngineStatus>;
  models?: Loadable<ModelInfo[]>;
  /** The model whose load is in progress. */
  loadingModelId: string | null;
  choosingModelFile: boolean;
  refreshStatus(): Promise<void>;
  refreshModels(): Promise<void>;
  loadModel(modelId: string): Promise<void>;
  chooseModelFile(): Promise<void>;
}

export const createEngineSlice: SliceCreator<EngineSlice> = (api) => (set, get) => ({
  loadingModelId: null,
  choosingModelFile: false,

  refreshStatus: () =>
    trackLoadable(
      get().engineStatus,
      () => api.getStatus(),
      (engineStatus) => set({ engineStatus }),
    ).then(
      () => undefined,
      (error) => get().reportError("Could not read the engine status", error),
    ),

  refreshModels: () =>
    trackLoadable(
      get().models,
      () => api.listModels(),
      (models) => set({ models }),
    ).then(
      () => undefined,
      (error) => get().reportError("Could not list the models", error),
    ),

  loadModel: async (modelId) => {
    set({ loadingModelId: modelId });
    try {
      const model = await api.loadModel({ modelId });
      const status = get().engineStatus;
      if (status?.status === "loaded") set({ engineStatus: loaded({ ...status.value, loadedModel: model }) });
      await get().refreshStatus();
    } catch (error) {
      get().reportError("Could not load the model", error);
    } finally {
      set({ loadingModelId: null });
    }
  },

  chooseModelFile: async () => {
    set({ choosingModelFile: true });
    try {
      const model = await api.chooseModelFile();
      if (model) await Promise.all([get().refreshModels(), get().refreshStatus()]);
    } catch (error) {
      get().reportError("Could not open the model file", error);
    } finally {
      set({ choosingModelFile: false });
    }
  },
});
