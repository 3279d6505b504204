import { useAppState } from "../state/store-context";
import { BudgetBar } from "./budget-bar";
import { CacheView } from "./cache-view";
import { CompareView } from "./compare-view";
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
            <ActiveView />
          </div>
        </main>
      </div>
    </FileDropTarget>
  );
}
