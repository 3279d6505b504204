import { act, render, screen, waitFor } from "@testing-library/react";
import type { ReactElement } from "react";
import { VIEW_LOADING_TEXT } from "../../../src-renderer/components/app";
import { createAppStore } from "../../../src-renderer/state/app-store";
import { StoreProvider } from "../../../src-renderer/state/store-context";
import type { ViewName } from "../../../src-renderer/state/view-slice";
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

/** Shows a view and waits until it is on screen (the chart views load lazily). */
export async function showViewLoaded(view: { store: ReturnType<typeof createAppStore> }, name: ViewName) {
  await act(async () => view.store.getState().showView(name));
  // The first load transforms the chart libraries, which takes seconds on a busy machine.
  await waitFor(
    () => {
      if (screen.queryByText(VIEW_LOADING_TEXT)) throw new Error(`the ${name} view is still loading`);
    },
    { timeout: 30_000 },
  );
}
