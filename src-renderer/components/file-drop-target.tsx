import { useRef, useState, type DragEvent, type ReactNode } from "react";
import { useAppState } from "../state/store-context";

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes("Files");
}

/** Lets a file dropped anywhere on the window be imported as a document. */
export function FileDropTarget({ children }: { children: ReactNode }) {
  const importFiles = useAppState((s) => s.importFiles);
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the pointer left.
  const depth = useRef(0);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a pointer gesture; the keyboard's way in is the Open document button.
    <div
      className="drop-target"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        const files = Array.from(event.dataTransfer?.files ?? []);
        if (files.length > 0) void importFiles(files);
      }}
    >
      {children}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop to add the document</p>
        </div>
      )}
    </div>
  );
}
