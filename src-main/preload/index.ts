import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";

// The renderer gets a message port onto the one RPC channel, nothing else of Electron or Node.
const CHANNEL = "compresskv:rpc";

contextBridge.exposeInMainWorld("compresskvIpc", {
  post(message: unknown): void {
    ipcRenderer.send(CHANNEL, message);
  },
  on(listener: (message: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(CHANNEL, handler);
    return () => ipcRenderer.off(CHANNEL, handler);
  },
});
