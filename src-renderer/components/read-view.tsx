import { selectSelectedDocument } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { ChatPane } from "./chat-pane";
import { DocumentView } from "./document-view";
import { WelcomePanel } from "./welcome-panel";

/** The open document beside its chat; the welcome panel before any document is open. */
export function ReadView() {
  const document = useAppState(selectSelectedDocument);
  if (!document) return <WelcomePanel />;
  return (
    <div className="workspace-panes">
      <DocumentView document={document} />
      <ChatPane documentId={document.id} />
    </div>
  );
}
