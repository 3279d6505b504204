import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/app";
import { createAppStore, type AppStore } from "./state/app-store";
import { StoreProvider } from "./state/store-context";
import { connectToMainProcess } from "./transport/connect-to-main-process";
import "./styles/app.css";

// Events and connection changes only arrive asynchronously, after the store exists.
let store: AppStore | undefined;
const link = connectToMainProcess({ onEngineEvent: (event) => store?.getState().receiveEngineEvent(event) }, (state) =>
  store?.getState().setConnection(state),
);
store = createAppStore(link.api);
store.getState().setConnection(link.initial.state, link.initial.detail);
void store.getState().start();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
