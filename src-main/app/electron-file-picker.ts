import { dialog, type BrowserWindow } from "electron";
import type { FilePicker } from "../services/file-picker";

const FILTERS = {
  model: [{ name: "GGUF models", extensions: ["gguf"] }],
  document: [{ name: "Documents", extensions: ["pdf", "txt", "md", "markdown"] }],
};

export function electronFilePicker(window: () => BrowserWindow | null): FilePicker {
  return {
    async pickFile(purpose) {
      const owner = window();
      const options = { properties: ["openFile" as const], filters: FILTERS[purpose] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
