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
        // biome-ignore lint/suspicious/noArrayIndexKey: the same name can be importing twice; these lines hold no state.
        <p key={`${index}-${name}`} className="muted" role="status">
          Importing {name}…
        </p>
      ))}
      <DocumentList />
    </section>
  );
}
