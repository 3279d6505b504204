// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { ConnectionState } from "../../../src-renderer/transport/connection-state";
import { websocketChannel, type SocketLike } from "../../../src-renderer/transport/websocket-channel";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, ((event: { data: unknown }) => void)[]>();
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
  addEventListener(type: string, listener: (event: { data: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: "open" | "close" | "error" | "message", data?: unknown) {
    if (type === "open") this.readyState = 1;
    if (type === "close") this.readyState = 3;
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

function channelOn(socket: FakeSocket) {
  const states: ConnectionState[] = [];
  const channel = websocketChannel(socket, (state) => states.push(state));
  return { channel, states };
}

describe("websocketChannel", () => {
  it("queues messages until the socket opens, then sends them in order", () => {
    const socket = new FakeSocket();
    const { channel, states } = channelOn(socket);
    channel.post("a");
    channel.post("b");
    expect(socket.sent).toEqual([]);
    socket.emit("open");
    channel.post("c");
    expect(socket.sent).toEqual(["a", "b", "c"]);
    expect(states).toEqual(["open"]);
  });

  it("hands text messages to the listener and ignores binary frames", () => {
    const socket = new FakeSocket();
    const { channel } = channelOn(socket);
    const received: unknown[] = [];
    channel.on((message: unknown) => received.push(message));
    socket.emit("message", "hello");
    socket.emit("message", new ArrayBuffer(2));
    expect(received).toEqual(["hello"]);
  });

  it("reports a socket that never opened as failed, once", () => {
    const socket = new FakeSocket();
    const { states } = channelOn(socket);
    socket.emit("error");
    socket.emit("close");
    expect(states).toEqual(["failed"]);
  });

  it("reports a socket that closed after opening as lost and drops later posts", () => {
    const socket = new FakeSocket();
    const { channel, states } = channelOn(socket);
    socket.emit("open");
    socket.emit("close");
    channel.post("late");
    expect(states).toEqual(["open", "lost"]);
    expect(socket.sent).toEqual([]);
  });

  it("round-trips document bytes through its serializer", () => {
    const { channel } = channelOn(new FakeSocket());
    const message = { m: "importDocument", a: [{ name: "x.txt", bytes: new Uint8Array([0, 1, 254, 255]) }] };
    const text = channel.serialize!(message);
    expect(typeof text).toBe("string");
    const back = channel.deserialize!(text) as typeof message;
    expect(back.m).toBe("importDocument");
    expect(back.a[0].name).toBe("x.txt");
    expect(Array.from(back.a[0].bytes)).toEqual([0, 1, 254, 255]);
  });
});
