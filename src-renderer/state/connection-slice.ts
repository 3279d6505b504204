import type { ConnectionState } from "../transport/connection-state";
import type { SliceCreator } from "./app-store";

export interface ConnectionSlice {
  connection: { state: ConnectionState; detail?: string };
  setConnection(state: ConnectionState, detail?: string): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = () => (set) => ({
  connection: { state: "connecting" },
  setConnection: (state, detail) => set({ connection: detail ? { state, detail } : { state } }),
});
