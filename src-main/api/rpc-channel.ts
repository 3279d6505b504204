import { createBirpc, type ChannelOptions } from "birpc";
import type { MainApi, RendererApi } from "./contract";

/** Calls may run for minutes (loading a large model, reading a long document). */
export const CALL_TIMEOUT_MS = 30 * 60 * 1000;

export type MessageChannel = Pick<ChannelOptions, "post" | "on" | "serialize" | "deserialize">;

/** The renderer end: a typed MainApi proxy; events are handed to `local`. Browser-safe (no schemas). */
export function connectToMain(local: RendererApi, channel: MessageChannel): MainApi & { $close(): void } {
  const rpc = createBirpc<MainApi, RendererApi>(local, { ...channel, timeout: CALL_TIMEOUT_MS });
  return rpc as unknown as MainApi & { $close(): void };
}
