import type { AppErrorInfo } from "../../src-main/api/app-error";

/** A notice the person sees until they dismiss it. */
export interface ErrorNotice {
  id: number;
  /** What was being done, e.g. "Could not load the model". */
  title: string;
  error: AppErrorInfo;
}

/** What every call fails with once the link to the main process is down; the banner explains it. */
export const notConnected: AppErrorInfo = Object.freeze({
  code: "not-available",
  message: "Not connected to the CompressKV process.",
});

/**
 * Calls reject with the main process's AppErrorInfo as a plain object; transport failures
 * reject with an Error. Either way the person gets a sentence, never "[object Object]".
 */
export function errorInfoOf(error: unknown): AppErrorInfo {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as Partial<AppErrorInfo>;
    if (typeof code === "string" && typeof message === "string") return { code, message } as AppErrorInfo;
  }
  if (error instanceof Error) {
    if (error.message.startsWith("[birpc] rpc is closed")) {
      return notConnected;
    }
    return { code: "internal", message: error.message };
  }
  return { code: "internal", message: String(error) };
}
