import type { EngineEvent } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import {
  applyEngineEvent,
  emptyConversation,
  registerRequest,
  withHistory,
  type Conversation,
} from "./conversation";

export interface ChatSlice extends Conversation {
  /** The unsent question per document. */
  drafts: Record<string, string>;
  /** Documents whose ask() call has not replied yet. */
  askingDocumentIds: Record<string, true>;
  loadChat(documentId: string): Promise<void>;
  setDraft(documentId: string, text: string): void;
  /** Sends the document's draft; the draft is kept if the request is refused. */
  ask(documentId: string): Promise<void>;
  cancel(requestId: string): Promise<void>;
  receiveEngineEvent(event: EngineEvent): void;
}

export const createChatSlice: SliceCreator<ChatSlice> = (api) => (set, get) => ({
  ...emptyConversation,
  drafts: {},
  askingDocumentIds: {},

  loadChat: async (documentId) => {
    set((state) => {
      const messages = state.chats[documentId]?.messages ?? [];
      return { chats: { ...state.chats, [documentId]: { history: "loading", messages } } };
    });
    try {
      const chat = await api.getChat({ documentId });
      set((state) => ({ chats: withHistory(state.chats, documentId, chat.messages) }));
    } catch (error) {
      set((state) => ({ chats: { ...state.chats, [documentId]: { ...state.chats[documentId], history: "failed" } } }));
      get().reportError("Could not load the earlier messages", error);
    }
  },

  setDraft: (documentId, text) => set((state) => ({ drafts: { ...state.drafts, [documentId]: text } })),

  ask: async (documentId) => {
    const draft = get().drafts[documentId] ?? "";
    const question = draft.trim();
    if (!question || get().askingDocumentIds[documentId]) return;
    set((state) => ({ askingDocumentIds: { ...state.askingDocumentIds, [documentId]: true } }));
    try {
      const { requestId } = await api.ask({ documentId, question });
      set((state) => ({
        answers: registerRequest(state, requestId, documentId).answers,
        // Text typed while the request was on its way stays.
        drafts: state.drafts[documentId] === draft ? { ...state.drafts, [documentId]: "" } : state.drafts,
      }));
    } catch (error) {
      get().reportError("Could not ask the question", error);
    } finally {
      set((state) => {
        const { [documentId]: _done, ...askingDocumentIds } = state.askingDocumentIds;
        return { askingDocumentIds };
      });
    }
  },

  cancel: async (requestId) => {
    try {
      await api.cancel({ requestId });
    } catch (error) {
      get().reportError("Could not stop the answer", error);
    }
  },

  receiveEngineEvent: (event) => {
    const { conversation, unplaced } = applyEngineEvent(get(), event);
    set({
      chats: conversation.chats,
      answers: conversation.answers,
      ingestProgress: conversation.ingestProgress,
      finishedRequestIds: conversation.finishedRequestIds,
    });
    if (unplaced) get().reportError(unplaced.title, unplaced.error);
  },
});
