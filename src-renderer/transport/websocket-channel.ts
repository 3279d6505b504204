import type { MessageChannel } from "../../src-main/api/rpc-channel";
import { deserializeMessage, serializeMessage } from "../../src-main/api/wire-format";
import type { ConnectionState } from "./connection-state";

/** The subset of the browser WebSocket this channel uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: "open" | "close" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

/** birpc's channel, with the synchronous post and on this one has (birpc allows either to return a promise). */
export interface WebsocketChannel extends MessageChannel {
  post(message: string): void;
  on(listener: (message: string) => void): void;
}

/**
 * A birpc channel over a WebSocket. Messages posted before the socket opens are queued and
 * sent in order once it does; state changes are reported so the UI can say when the link fails.
 */
export function websocketChannel(socket: SocketLike, onState: (state: ConnectionState) => void): WebsocketChannel {
  const queued: string[] = [];
  let opened = false;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    queued.length = 0;
    onState(opened ? "lost" : "failed");
  };

  socket.addEventListener("open", () => {
    opened = true;
    for (const message of queued.splice(0)) socket.send(message);
    onState("open");
  });
  socket.addEventListener("error", end);
  socket.addEventListener("close", end);

  return {
    post: (message: string) => {
      if (ended) return;
      if (socket.readyState === OPEN) socket.send(message);
      else queued.push(message);
    },
    on: (listener) => {
      socket.addEventListener("message", (event) => {
        if (typeof event.data === "string") listener(event.data);
      });
    },
    serialize: serializeMessage,
    deserialize: (text: string) => deserializeMessage(text),
  };
}
