import { join } from "node:path";
import type { Chat, ChatMessage } from "../api/contract";
import type { ConversationTurn } from "../engine/prompt-format";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";

/** Each document's chat, one JSON file per document, rewritten atomically on every change. */
export class ChatStore {
  constructor(private readonly root: string) {}

  private path(documentId: string): string {
    return join(this.root, `${documentId}.json`);
  }

  async get(documentId: string): Promise<Chat> {
    return readJson<Chat>(this.path(documentId), { documentId, messages: [] });
  }

  async append(documentId: string, message: ChatMessage): Promise<Chat> {
    const chat = await this.get(documentId);
    chat.messages.push(message);
    await writeJsonAtomic(this.path(documentId), chat);
    return chat;
  }
}

/** Completed question/answer pairs of a chat, the history the next prompt continues. */
export function conversationTurns(messages: ChatMessage[]): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (let i = 0; i + 1 < messages.length; i++) {
    const question = messages[i];
    const answer = messages[i + 1];
    if (question.role === "user" && answer.role === "assistant" && !answer.error) {
      turns.push({ question: question.text, answer: answer.text });
      i++;
    }
  }
  return turns;
}
