import type { MainApi, RendererApi } from "../../src-main/api/contract";
import { connectToMain } from "../../src-main/api/rpc-channel";
import { accessTokenFromFragment, rpcSocketUrl } from "./access-token";
import type { ConnectionState } from "./connection-state";
import { electronIpcChannel } from "./electron-ipc-channel";
import { websocketChannel } from "./websocket-channel";

export interface MainProcessLink {
  api: MainApi;
  /** The state right after connecting; later changes go to the listener. */
  initial: { state: ConnectionState; detail?: string };
}

/**
 * Electron's preload when it is there, otherwise the development/test bridge's WebSocket.
 */
export function connectToMainProcess(local: RendererApi, onState: (state: ConnectionState) => void): MainProcessLink {
  if (window.compresskvIpc) {
    return { api: connectToMain(local, electronIpcChannel(window.compresskvIpc)), initial: { state: "open" } };
  }

  const token = accessTokenFromFragment(window.location.hash);
  if (!token) {
    const unconnected = connectToMain(local, { post: () => undefined, on: () => undefined });
    unconnected.$close();
    const detail = "The page address has no access token (#token=…); open the address the app printed.";
    return { api: unconnected, initial: { state: "failed", detail } };
  }

  const socket = new WebSocket(rpcSocketUrl(window.location.host, token));
  const rpc = connectToMain(
    local,
    websocketChannel(socket, (state) => {
      // Pending and later calls then reject at once ("not connected") instead of timing out.
      if (state === "failed" || state === "lost") rpc.$close();
      onState(state);
    }),
  );
  return { api: rpc, initial: { state: "connecting" } };
}
