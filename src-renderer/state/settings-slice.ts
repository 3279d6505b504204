import type { AppSettings } from "../../src-main/api/contract";
import { DEFAULT_COMPRESSION, type CompressionSettings } from "../../src-main/api/compression-settings";
import type { SliceCreator } from "./app-store";
import { loaded, trackLoadable, loadedValue, type Loadable } from "./loadable";

export interface SettingsSlice {
  settings?: Loadable<AppSettings>;
  refreshSettings(): Promise<void>;
  /**
   * Shows the change at once and saves it. Changes made while a save is on its way are merged and
   * sent together after it, so a dragged slider sends a few requests, not one per pixel.
   */
  changeCompression(change: Partial<CompressionSettings>): Promise<void>;
  resetCompression(): Promise<void>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (api) => (set, get) => {
  let unsent: Partial<CompressionSettings> | null = null;
  let saving: Promise<void> | null = null;

  const showLocally = (change: Partial<CompressionSettings>) => {
    const current = loadedValue(get().settings);
    if (current) set({ settings: loaded({ compression: { ...current.compression, ...change } }) });
  };

  const saveUnsent = async () => {
    while (unsent) {
      const change = unsent;
      unsent = null;
      try {
        const saved = await api.updateSettings({ compression: change });
        // Changes made during the request stay on screen over what it returned.
        set({ settings: loaded({ compression: { ...saved.compression, ...(unsent ?? {}) } }) });
      } catch (error) {
        unsent = null;
        get().reportError("Could not save the settings", error);
        await get().refreshSettings();
      }
    }
  };

  return {
    refreshSettings: () =>
      trackLoadable(
        get().settings,
        () => api.getSettings(),
        (settings) => set({ settings }),
      ).then(
        () => undefined,
        (error) => get().reportError("Could not read the settings", error),
      ),

    changeCompression: (change) => {
      showLocally(change);
      unsent = { ...unsent, ...change };
      saving ??= saveUnsent().finally(() => {
        saving = null;
      });
      return saving;
    },

    resetCompression: () => get().changeCompression(DEFAULT_COMPRESSION),
  };
};
