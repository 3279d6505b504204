import type { DocumentInfo, DocumentText } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import { loaded, trackLoadable, loadedValue, type Loadable } from "./loadable";

export interface DocumentSlice {
  documents?: Loadable<DocumentInfo[]>;
  /** Names of files being read and imported, in the order they were given. */
  importingFileNames: string[];
  selectedDocumentId: string | null;
  documentTexts: Record<string, Loadable<DocumentText>>;
  refreshDocuments(): Promise<void>;
  /** Imports each file in turn and selects the last one that succeeded. */
  importFiles(files: readonly File[]): Promise<void>;
  selectDocument(documentId: string): void;
  deleteDocument(documentId: string): Promise<void>;
}

export const createDocumentSlice: SliceCreator<DocumentSlice> = (api) => (set, get) => {
  const loadText = (documentId: string) =>
    trackLoadable(
      get().documentTexts[documentId],
      () => api.getDocumentText({ documentId }),
      (text) => set((state) => ({ documentTexts: { ...state.documentTexts, [documentId]: text } })),
    ).catch((error) => get().reportError("Could not read the document", error));

  const importFile = async (file: File) => {
    set((state) => ({ importingFileNames: [...state.importingFileNames, file.name] }));
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const document = await api.importDocument({ name: file.name, bytes });
      const others = (loadedValue(get().documents) ?? []).filter((d) => d.id !== document.id);
      set({ documents: loaded([...others, document]) });
      get().selectDocument(document.id);
    } catch (error) {
      get().reportError(`Could not import ${file.name}`, error);
    } finally {
      set((state) => ({ importingFileNames: withoutFirst(state.importingFileNames, file.name) }));
    }
  };

  return {
    importingFileNames: [],
    selectedDocumentId: null,
    documentTexts: {},

    refreshDocuments: async () => {
      try {
        const documents = await trackLoadable(
          get().documents,
          () => api.listDocuments(),
          (next) => set({ documents: next }),
        );
        const selected = get().selectedDocumentId;
        if (selected && !documents.some((d) => d.id === selected)) set({ selectedDocumentId: null });
        if (!get().selectedDocumentId && documents.length > 0) get().selectDocument(documents[0].id);
      } catch (error) {
        get().reportError("Could not list the documents", error);
      }
    },

    importFiles: async (files) => {
      for (const file of files) await importFile(file);
    },

    selectDocument: (documentId) => {
      set({ selectedDocumentId: documentId });
      if (get().documentTexts[documentId]?.status !== "loaded") void loadText(documentId);
      if (get().chats[documentId]?.history !== "loaded") void get().loadChat(documentId);
    },

    deleteDocument: async (documentId) => {
      try {
        await api.deleteDocument({ documentId });
      } catch (error) {
        get().reportError("Could not delete the document", error);
        return;
      }
      set((state) => {
        const { [documentId]: _text, ...documentTexts } = state.documentTexts;
        const remaining = (loadedValue(state.documents) ?? []).filter((d) => d.id !== documentId);
        return {
          documents: loaded(remaining),
          documentTexts,
          selectedDocumentId: state.selectedDocumentId === documentId ? null : state.selectedDocumentId,
        };
      });
    },
  };
};

function withoutFirst(names: string[], name: string): string[] {
  const index = names.indexOf(name);
  return index < 0 ? names : [...names.slice(0, index), ...names.slice(index + 1)];
}
