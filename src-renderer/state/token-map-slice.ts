import type { TokenMap } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import { trackLoadable, type Loadable } from "./loadable";
import { selectLoadedModel } from "./selectors";

export interface TokenMapSlice {
  /** Per document, where the loaded model's prompt tokens fall in the text. */
  tokenMaps: Record<string, Loadable<TokenMap>>;
  /** Fetches the map unless the one held is for the loaded model. */
  loadTokenMap(documentId: string): Promise<void>;
}

export const createTokenMapSlice: SliceCreator<TokenMapSlice> = (api) => (set, get) => ({
  tokenMaps: {},

  loadTokenMap: async (documentId) => {
    const model = selectLoadedModel(get());
    if (!model) return;
    const held = get().tokenMaps[documentId];
    if (held?.status === "loading" || (held?.status === "loaded" && held.value.modelId === model.id)) return;
    await trackLoadable(
      held?.status === "loaded" ? undefined : held,
      () => api.getTokenMap({ documentId }),
      (map) => set((state) => ({ tokenMaps: { ...state.tokenMaps, [documentId]: map } })),
    ).catch((error) => get().reportError("Could not map the document's tokens", error));
  },
});
