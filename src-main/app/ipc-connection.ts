import { ipcMain, type IpcMainEvent, type WebContents } from "electron";
import { serveMainApi } from "../api/serve-main-api";
import { validatedApi } from "../api/validated-api";
import type { MainService } from "../services/main-service";

const CHANNEL = "compresskv:rpc";

/** Serves the contract to one window over Electron IPC; messages from other senders are ignored. */
export function connectWindow(contents: WebContents, service: MainService): () => void {
  const listeners = new Set<(message: unknown) => void>();
  const onMessage = (event: IpcMainEvent, message: unknown) => {
    if (event.sender !== contents) return;
    for (const listener of listeners) listener(message);
  };
  ipcMain.on(CHANNEL, onMessage);
  const connection = serveMainApi(validatedApi(service), {
    post: (message) => {
      if (!contents.isDestroyed()) contents.send(CHANNEL, message);
    },
    on: (listener) => {
      listeners.add(listener);
    },
  });
  const unsubscribe = service.subscribe((event) => connection.renderer.onEngineEvent(event));
  return () => {
    unsubscribe();
    connection.close();
    ipcMain.off(CHANNEL, onMessage);
  };
}
