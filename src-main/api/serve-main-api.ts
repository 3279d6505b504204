import { createBirpc } from "birpc";
import { AppError, toAppErrorInfo } from "./app-error";
import type { EngineEvent, RendererApi } from "./contract";
import { CALL_TIMEOUT_MS, type MessageChannel } from "./rpc-channel";
import { isMainApiMethod, type UntrustedApi } from "./validated-api";

export interface RendererConnection {
  renderer: { onEngineEvent(event: EngineEvent): void };
  close(): void;
}

/** A birpc request as the renderer sends it; the main process calls nothing back, so nothing else is accepted. */
function isRequestMessage(message: unknown): boolean {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return false;
  const { t, m, a, i } = message as Record<string, unknown>;
  return t === "q" && typeof m === "string" && Array.isArray(a) && (i === undefined || typeof i === "string");
}

/** Answers a call to a name outside the contract with an error that survives JSON (an Error would arrive as {}). */
function notAMethod(name: string): () => Promise<never> {
  return async () => {
    throw toAppErrorInfo(new AppError("invalid-request", `Unknown method ${JSON.stringify(name.slice(0, 64))}.`));
  };
}

/**
 * The main-process end of one renderer connection: only the contract's own methods resolve, and
 * frames that are not well-formed requests (garbage, responses to calls never made) are dropped.
 */
export function serveMainApi(api: UntrustedApi, channel: MessageChannel): RendererConnection {
  const deserialize = channel.deserialize ?? ((data: unknown) => data);
  const rpc = createBirpc<RendererApi, UntrustedApi>(api, {
    ...channel,
    // Thrown here, birpc hands the failure to onGeneralError and drops the frame.
    deserialize: (data) => {
      const message: unknown = deserialize(data);
      if (!isRequestMessage(message)) throw new AppError("invalid-request", "Malformed message.");
      return message;
    },
    timeout: CALL_TIMEOUT_MS,
    eventNames: ["onEngineEvent"],
    resolver: (name) => (isMainApiMethod(name) ? api[name] : notAMethod(String(name))),
    onGeneralError: () => true,
  });
  return {
    renderer: { onEngineEvent: (event) => void rpc.onEngineEvent.asEvent(event).catch(() => undefined) },
    close: () => rpc.$close(),
  };
}
