import { join } from "node:path";
import type { Chat, ChatMessage } from "../api/contract";
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
