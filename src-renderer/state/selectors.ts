import type { AppState } from "./app-store";
import { valueOf } from "./loadable";

export const selectLoadedModel = (state: AppState) => valueOf(state.engineStatus)?.loadedModel ?? null;

export const selectSelectedDocument = (state: AppState) =>
  valueOf(state.documents)?.find((d) => d.id === state.selectedDocumentId) ?? null;

/** The answer being generated for a document, if any. */
export const selectAnswerFor = (documentId: string) => (state: AppState) =>
  Object.values(state.answers).find((a) => a.documentId === documentId) ?? null;

export const selectIngestProgressFor = (documentId: string) => (state: AppState) =>
  Object.values(state.ingestProgress).find((p) => p.documentId === documentId) ?? null;
