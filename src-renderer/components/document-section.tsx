import { useAppState } from "../state/store-context";
import { DocumentList } from "./document-list";
import { OpenDocumentButton } from "./open-document-button";

export function DocumentSection() {
  const importing = useAppState((s) => s.importingFileNames);
  return (
    <section className="sidebar-section" aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      <OpenDocumentButton />
      {importing.map((name, index) => (
        <p key={`${index}-${name}`} className="muted" role="status">
          Importing {name}…
        </p>
      ))}
      <DocumentList />
    </section>
  );
}
