import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import type { MainApi } from "../../../src-main/api/contract";
import { createAppStore } from "../../../src-renderer/state/app-store";
import { StoreProvider } from "../../../src-renderer/state/store-context";

export function renderWithStore(ui: ReactElement, api: MainApi) {
  const store = createAppStore(api);
  store.getState().setConnection("open");
  const view = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return { store, ...view };
}
