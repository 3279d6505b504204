import type { ConnectionState } from "../transport/connection-state";
import type { SliceCreator } from "./app-store";
import { notConnected } from "./error-info";
import { liveRequestIds } from "./selectors";

export interface ConnectionSlice {
  connection: { state: ConnectionState; detail?: string };
  setConnection(state: ConnectionState, detail?: string): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = () => (set, get) => ({
  connection: { state: "connecting" },
  setConnection: (state, detail) => {
    set({ connection: detail ? { state, detail } : { state } });
    if (state !== "failed" && state !== "lost") return;
    // No more events will come: end the answers in progress, keeping what already streamed in.
    for (const requestId of liveRequestIds(get())) {
      get().receiveEngineEvent({ type: "request-failed", requestId, error: notConnected });
    }
  },
});
