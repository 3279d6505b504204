import { createBirpc, type ChannelOptions } from "birpc";
import type { MainApi, RendererApi } from "./contract";
import { isMainApiMethod, type UntrustedApi } from "./validated-api";

/** Calls may run for minutes (loading a large model, reading a long document). */
const CALL_TIMEOUT_MS = 30 * 60 * 1000;

export type MessageChannel = Pick<ChannelOptions, "post" | "on" | "serialize" | "deserialize">;

export interface RendererConnection {
  renderer: { onEngineEvent(event: Parameters<RendererApi["onEngineEvent"]>[0]): void };
  close(): void;
}

/** The main-process end of one renderer connection. */
export function serveMainApi(api: UntrustedApi, channel: MessageChannel): RendererConnection {
  const rpc = createBirpc<RendererApi, UntrustedApi>(api, {
    ...channel,
    timeout: CALL_TIMEOUT_MS,
    eventNames: ["onEngineEvent"],
    resolver: (name) => (isMainApiMethod(name) ? api[name] : undefined),
    onGeneralError: () => true,
  });
  return {
    renderer: { onEngineEvent: (event) => void rpc.onEngineEvent.asEvent(event).catch(() => undefined) },
    close: () => rpc.$close(),
  };
}

/** The renderer end: a typed MainApi proxy; events are handed to `local`. */
export function connectToMain(local: RendererApi, channel: MessageChannel): MainApi & { $close(): void } {
  const rpc = createBirpc<MainApi, RendererApi>(local, { ...channel, timeout: CALL_TIMEOUT_MS });
  return rpc as unknown as MainApi & { $close(): void };
}
