/** Errors a person can meet, each with a stable code the renderer can react to. */
export type AppErrorCode =
  | "invalid-request"
  | "not-gguf"
  | "model-load-failed"
  | "model-too-large"
  | "no-model"
  | "bad-document"
  | "empty-document"
  | "document-too-long"
  | "unsupported-document"
  | "document-not-found"
  | "model-not-found"
  | "cancelled"
  | "busy"
  | "not-available"
  | "internal";

/** The plain shape an error crosses the main/renderer boundary in. */
export interface AppErrorInfo {
  code: AppErrorCode;
  message: string;
}

export class AppError extends Error implements AppErrorInfo {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }

  toInfo(): AppErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isAppErrorInfo(value: unknown): value is AppErrorInfo {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AppErrorInfo).code === "string" &&
    typeof (value as AppErrorInfo).message === "string"
  );
}

/** Any thrown value as an AppErrorInfo; unknown failures become "internal" with their message. */
export function toAppErrorInfo(error: unknown): AppErrorInfo {
  if (error instanceof AppError) return error.toInfo();
  if (isAppErrorInfo(error)) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === "AbortError") return { code: "cancelled", message: "Cancelled." };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message };
}
