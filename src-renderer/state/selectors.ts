import type { AppState } from "./app-store";
import { loadedValue } from "./loadable";

export const selectLoadedModel = (state: AppState) => loadedValue(state.engineStatus)?.loadedModel ?? null;

export const selectSelectedDocument = (state: AppState) =>
  loadedValue(state.documents)?.find((d) => d.id === state.selectedDocumentId) ?? null;

/** The answer being generated for a document, if any. */
export const selectAnswerFor = (documentId: string) => (state: AppState) =>
  Object.values(state.answers).find((a) => a.documentId === documentId) ?? null;

export const selectIngestProgressFor = (documentId: string) => (state: AppState) =>
  Object.values(state.ingestProgress).find((p) => p.documentId === documentId) ?? null;

/** The assistant message whose cache the Cache view shows: the chosen one, else the latest with a report. */
export const selectInspectedAnswer = (documentId: string) => (state: AppState) => {
  const messages = state.chats[documentId]?.messages ?? [];
  const chosen = state.inspectedAnswerIds[documentId];
  if (chosen) {
    const message = messages.find((m) => m.id === chosen);
    if (message?.stats) return message;
  }
  return messages.findLast((m) => m.role === "assistant" && m.stats?.compression !== undefined) ?? null;
};

/** Ids of requests still running that this window follows (answers, comparisons, calibrations). */
export function liveRequestIds(state: AppState): string[] {
  const compare = (state.compareRun?.answers ?? [])
    .filter((a) => a.requestId !== null && (a.status === "running" || a.status === "waiting"))
    .map((a) => a.requestId!);
  return [...Object.keys(state.answers), ...compare, ...Object.keys(state.calibrations)];
}
