/** Asks the person for a file; the Electron shell shows the native dialog. Null when they cancel. */
export interface FilePicker {
  pickFile(purpose: "model" | "document"): Promise<string | null>;
}

/** For hosts with no dialog (the browser bridge, the CLI). */
export const noFilePicker: FilePicker = {
  async pickFile() {
    return null;
  },
};
