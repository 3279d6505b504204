import { act, render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createAppStore } from "../../../src-renderer/state/app-store";
import { StoreProvider } from "../../../src-renderer/state/store-context";
import { fakeMainApi } from "./fake-main-api";

type FakeMainApi = ReturnType<typeof fakeMainApi>;

export function renderWithStore(ui: ReactElement, api: FakeMainApi) {
  const store = createAppStore(api);
  store.getState().setConnection("open");
  const view = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return { store, api, ...view };
}

/** Renders, then lets the first fetches (status, models, documents) settle. */
export async function renderStarted(ui: ReactElement, api: FakeMainApi = fakeMainApi()) {
  const view = renderWithStore(ui, api);
  await act(() => view.store.getState().start());
  return view;
}
