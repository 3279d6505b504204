import type { SliceCreator } from "./app-store";
import { loaded, loadedValue } from "./loadable";

export interface DemoSlice {
  startingDemo: boolean;
  /** First run: loads the bundled retrieval model (or the model given) and opens the bundled sample document. */
  startDemo(modelId?: string): Promise<void>;
}

export const createDemoSlice: SliceCreator<DemoSlice> = (api) => (set, get) => ({
  startingDemo: false,

  startDemo: async (modelId) => {
    const model = modelId ?? loadedValue(get().models)?.find((candidate) => candidate.bundled)?.id;
    set({ startingDemo: true });
    try {
      if (model) await get().loadModel(model);
      const document = await api.importSampleDocument();
      const others = (loadedValue(get().documents) ?? []).filter((d) => d.id !== document.id);
      set({ documents: loaded([...others, document]), activeView: "read" });
      get().selectDocument(document.id);
    } catch (error) {
      get().reportError("Could not open the sample document", error);
    } finally {
      set({ startingDemo: false });
    }
  },
});
