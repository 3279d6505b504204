import { randomUUID } from "node:crypto";
import { WebSocket } from "ws";
import { connectToMain } from "../../src-main/api/rpc-channel";
import { deserializeMessage, serializeMessage } from "../../src-main/api/wire-format";

/** A Node client of the web bridge: birpc calls as the renderer makes them, plus raw frames. */
export interface BridgeClient {
  /** Calls any method name with any arguments, through birpc. */
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Sends a frame as is. */
  sendRaw(frame: string | Buffer): void;
  /** Sends a birpc request frame by hand and waits for its response frame. */
  request(message: Record<string, unknown>): Promise<Record<string, unknown>>;
  readonly socket: WebSocket;
  close(): void;
}

export function rpcAddress(pageUrl: string): { socketUrl: string; token: string; origin: string } {
  const url = new URL(pageUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get("token")!;
  return { socketUrl: `ws://${url.host}/rpc?token=${token}`, token, origin: url.origin };
}

export async function connectBridge(pageUrl: string): Promise<BridgeClient> {
  const { socketUrl, origin } = rpcAddress(pageUrl);
  const socket = new WebSocket(socketUrl, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const rpc = connectToMain(
    { onEngineEvent: () => undefined },
    {
      post: (message) => socket.send(message as string),
      on: (listener) => {
        socket.on("message", (data) => listener(data.toString()));
      },
      serialize: serializeMessage,
      deserialize: (text) => deserializeMessage(text as string),
    },
  ) as unknown as { $call(method: string, ...args: unknown[]): Promise<unknown>; $close(): void };
  return {
    socket,
    call: (method, args) => rpc.$call(method, ...args),
    sendRaw: (frame) => socket.send(frame),
    request: (message) =>
      new Promise((resolve) => {
        const id = randomUUID();
        const onMessage = (data: Buffer) => {
          const reply = deserializeMessage(data.toString()) as Record<string, unknown>;
          if (reply.i !== id) return;
          socket.off("message", onMessage);
          resolve(reply);
        };
        socket.on("message", onMessage);
        socket.send(serializeMessage({ ...message, i: id }));
      }),
    close: () => {
      rpc.$close();
      socket.close();
    },
  };
}

/** The HTTP status a WebSocket upgrade gets (101 when it is accepted). */
export function upgradeStatus(socketUrl: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(socketUrl, { headers });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", () => resolve(0));
  });
}
