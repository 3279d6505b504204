import type { SliceCreator } from "./app-store";

export const VIEWS = ["read", "cache", "compare", "models", "settings"] as const;
export type ViewName = (typeof VIEWS)[number];

/** A stretch of document text to scroll to and mark (a heat map click, a citation). */
export interface DocumentFocus {
  documentId: string;
  start: number;
  end: number;
  /** Grows with every request, so asking for the same place twice scrolls again. */
  serial: number;
}

export interface ViewSlice {
  activeView: ViewName;
  documentFocus: DocumentFocus | null;
  /** Per document, the answer whose cache the Cache view shows (default: the latest compressed one). */
  inspectedAnswerIds: Record<string, string>;
  showView(view: ViewName): void;
  /** Opens the document view scrolled to the text. */
  focusDocumentText(documentId: string, start: number, end: number): void;
  inspectAnswer(documentId: string, answerId: string): void;
}

export const createViewSlice: SliceCreator<ViewSlice> = () => (set, get) => ({
  activeView: "read",
  documentFocus: null,
  inspectedAnswerIds: {},

  showView: (activeView) => set({ activeView }),

  focusDocumentText: (documentId, start, end) => {
    if (get().selectedDocumentId !== documentId) get().selectDocument(documentId);
    const serial = (get().documentFocus?.serial ?? 0) + 1;
    set({ activeView: "read", documentFocus: { documentId, start, end, serial } });
  },

  inspectAnswer: (documentId, answerId) =>
    set((state) => ({
      activeView: "cache",
      inspectedAnswerIds: { ...state.inspectedAnswerIds, [documentId]: answerId },
    })),
});
