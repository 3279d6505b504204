import { useAppState } from "../state/store-context";
import { selectSelectedDocument } from "../state/selectors";
import { ChatPane } from "./chat-pane";
import { ConnectionBanner } from "./connection-banner";
import { DocumentSection } from "./document-section";
import { DocumentView } from "./document-view";
import { ErrorNotices } from "./error-notices";
import { FileDropTarget } from "./file-drop-target";
import { ModelSection } from "./model-section";
import { ThemeSelect } from "./theme-select";

export function App() {
  const document = useAppState(selectSelectedDocument);
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
          {document ? (
            <div className="workspace-panes">
              <DocumentView document={document} />
              <ChatPane documentId={document.id} />
            </div>
          ) : (
            <div className="workspace-empty">
              <h2>No document selected</h2>
              <p>Open a PDF, text or Markdown file, or drop one onto this window, then ask questions about it.</p>
            </div>
          )}
        </main>
      </div>
    </FileDropTarget>
  );
}
