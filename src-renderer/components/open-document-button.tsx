import { useRef } from "react";
import { useAppState } from "../state/store-context";

export const DOCUMENT_FILE_TYPES = ".pdf,.txt,.md";

/** A real button that opens a visually hidden file input, so both keyboard and tests can reach it. */
export function OpenDocumentButton() {
  const input = useRef<HTMLInputElement>(null);
  const importFiles = useAppState((s) => s.importFiles);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        Open document…
      </button>
      <input
        ref={input}
        type="file"
        accept={DOCUMENT_FILE_TYPES}
        aria-label="Document file"
        className="visually-hidden"
        tabIndex={-1}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Cleared so choosing the same file again still fires a change.
          event.target.value = "";
          if (files.length > 0) void importFiles(files);
        }}
      />
    </>
  );
}
