import { createBirpc } from "birpc";
import type { EngineEvent, RendererApi } from "./contract";
import { CALL_TIMEOUT_MS, type MessageChannel } from "./rpc-channel";
import { isMainApiMethod, type UntrustedApi } from "./validated-api";

export interface RendererConnection {
  renderer: { onEngineEvent(event: EngineEvent): void };
  close(): void;
}

/** The main-process end of one renderer connection: only the contract's own methods resolve. */
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
