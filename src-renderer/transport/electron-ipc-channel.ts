import type { MessageChannel } from "../../src-main/api/rpc-channel";

/** What the preload exposes on `window` (messages travel by structured clone). */
export interface CompressKvIpc {
  post(message: unknown): void;
  on(listener: (message: unknown) => void): () => void;
}

declare global {
  interface Window {
    compresskvIpc?: CompressKvIpc;
  }
}

export function electronIpcChannel(ipc: CompressKvIpc): MessageChannel {
  return {
    post: (message) => ipc.post(message),
    on: (listener) => {
      ipc.on(listener);
    },
  };
}
