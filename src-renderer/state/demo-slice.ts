import type { SliceCreator } from "./app-store";
import { loaded, loadedValue } from "./loadable";

export interface DemoSlice {
  startingDemo: boolean;
  /** First run: loads the bundled retrieval model and opens the bundled sample document. */
  startDemo(): Promise<void>;
}

export const createDemoSlice: SliceCreator<DemoSlice> = (api) => (set, get) => ({
  startingDemo: false,

  startDemo: async () => {
    const bundled = loadedValue(get().models)?.find((model) => model.bundled);
    set({ startingDemo: true });
    try {
      if (bundled) await get().loadModel(bundled.id);
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
