import { lazy, Suspense } from "react";
import { useAppState } from "../state/store-context";
import { BudgetBar } from "./budget-bar";
import { ConnectionBanner } from "./connection-banner";
import { DocumentSection } from "./document-section";
import { ErrorNotices } from "./error-notices";
import { FileDropTarget } from "./file-drop-target";
import { ModelSection } from "./model-section";
import { ModelsView } from "./models-view";
import { SettingsView } from "./settings-view";
import { ThemeSelect } from "./theme-select";
import { ReadView } from "./read-view";
import { panelId, tabId, ViewTabs } from "./view-tabs";

// The views that draw charts and heat maps bring recharts: loaded when first opened, not at start.
const CacheView = lazy(() => import("./cache-view").then((module) => ({ default: module.CacheView })));
const CompareView = lazy(() => import("./compare-view").then((module) => ({ default: module.CompareView })));

export const VIEW_LOADING_TEXT = "Loading the view…";

const VIEW_COMPONENTS = {
  read: ReadView,
  cache: CacheView,
  compare: CompareView,
  models: ModelsView,
  settings: SettingsView,
};

export function App() {
  const active = useAppState((s) => s.activeView);
  const ActiveView = VIEW_COMPONENTS[active];
  return (
    <FileDropTarget>
      <div className="app">
        <aside className="sidebar">
          <header className="brand">
            <h1>CompressKV</h1>
            <ThemeSelect />
          </header>
          <ModelSection />
          <DocumentSection />
        </aside>
        <main className="workspace">
          <ConnectionBanner />
          <ErrorNotices />
          <ViewTabs />
          <BudgetBar />
          <div className="view-panel" role="tabpanel" id={panelId(active)} aria-labelledby={tabId(active)}>
            <Suspense fallback={<p className="muted">{VIEW_LOADING_TEXT}</p>}>
              <ActiveView />
            </Suspense>
          </div>
        </main>
      </div>
    </FileDropTarget>
  );
}
