import { createAppStore } from "../../../src-renderer/state/app-store";
import { fakeMainApi } from "./fake-main-api";

/** Lets pending promise callbacks (fetches the store fired off) settle. */
export async function flush() {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

export async function startedStore(api = fakeMainApi()) {
  const store = createAppStore(api);
  store.getState().setConnection("open");
  await store.getState().start();
  await flush();
  return { store, api };
}
