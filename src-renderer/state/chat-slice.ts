import type { AppState, SliceCreator } from "./app-store";
import { withoutKey } from "./records";
import { selectAnswerFor } from "./selectors";
import { selectCompareRunning } from "./compare-slice";
import {
  applyConversationEvent,
  type ConversationEvent,
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
  /** Asks again the question an answer replied to; the new answer follows in the chat. */
  regenerate(documentId: string, answerId: string): Promise<void>;
  cancel(requestId: string): Promise<void>;
  receiveConversationEvent(event: ConversationEvent): void;
}

export const createChatSlice: SliceCreator<ChatSlice> = (api) => (set, get) => {
  const send = async (documentId: string, text: string, onSent?: (state: AppState) => Partial<AppState>) => {
    const question = text.trim();
    const state = get();
    if (!question || state.askingDocumentIds[documentId] || selectAnswerFor(documentId)(state)) return;
    if (selectCompareRunning(state)) return;
    set((s) => ({ askingDocumentIds: { ...s.askingDocumentIds, [documentId]: true } }));
    try {
      const { requestId } = await api.ask({ documentId, question });
      set((s) => ({ answers: registerRequest(s, requestId, documentId).answers, ...onSent?.(s) }));
    } catch (error) {
      get().reportError("Could not ask the question", error);
    } finally {
      set((s) => ({ askingDocumentIds: withoutKey(s.askingDocumentIds, documentId) }));
    }
  };

  return {
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
        set((state) => ({
          chats: { ...state.chats, [documentId]: { ...state.chats[documentId], history: "failed" } },
        }));
        get().reportError("Could not load the earlier messages", error);
      }
    },

    setDraft: (documentId, text) => set((state) => ({ drafts: { ...state.drafts, [documentId]: text } })),

    ask: async (documentId) => {
      const draft = get().drafts[documentId] ?? "";
      await send(documentId, draft, (state) =>
        // Text typed while the request was on its way stays.
        state.drafts[documentId] === draft ? { drafts: { ...state.drafts, [documentId]: "" } } : {},
      );
    },

    regenerate: async (documentId, answerId) => {
      const messages = get().chats[documentId]?.messages ?? [];
      const index = messages.findIndex((m) => m.id === answerId);
      const question = messages.slice(0, Math.max(0, index)).findLast((m) => m.role === "user");
      if (question) await send(documentId, question.text);
    },

    cancel: async (requestId) => {
      try {
        await api.cancel({ requestId });
      } catch (error) {
        get().reportError("Could not stop the answer", error);
      }
    },

    receiveConversationEvent: (event) => {
      const { conversation, unplaced } = applyConversationEvent(get(), event);
      set({
        chats: conversation.chats,
        answers: conversation.answers,
        ingestProgress: conversation.ingestProgress,
        finishedRequestIds: conversation.finishedRequestIds,
      });
      if (unplaced) get().reportError(unplaced.title, unplaced.error);
    },
  };
};
