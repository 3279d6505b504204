import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { AppError, toAppErrorInfo } from "../api/app-error";
import type {
  AppSettings,
  Chat,
  ChatMessage,
  DocumentInfo,
  EngineEvent,
  EngineStatus,
  MainApi,
  ModelInfo,
  RequestOf,
} from "../api/contract";
import { DocumentLibrary } from "../documents/document-library";
import { Engine } from "../engine/engine";
import { getRuntime } from "../engine/llama-runtime";
import { probeAvailability } from "../engine/probe";
import type { IngestProgress } from "../engine/document-session";
import type { ConversationTurn } from "../engine/prompt-format";
import { ChatStore } from "./chat-store";
import { noFilePicker, type FilePicker } from "./file-picker";
import { describeModelFile, ModelCatalog } from "./model-catalog";
import { SettingsStore } from "./settings-store";

export interface MainServiceOptions {
  /** Where documents, chats and settings are kept. */
  dataDir: string;
  /** Folder of models shipped with the app, if any. */
  bundledModelsDir?: string | null;
  filePicker?: FilePicker;
  engine?: Engine;
}

type EventListener = (event: EngineEvent) => void;

/** Completed question/answer pairs of a chat, the history the next prompt continues. */
function conversationTurns(messages: ChatMessage[]): ConversationTurn[] {
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

/**
 * The main-process services behind the contract, shared by the Electron shell, the browser
 * bridge and the tests. Streams reach every connected renderer through `subscribe`.
 */
export class MainService implements MainApi {
  readonly engine: Engine;
  private readonly documents: DocumentLibrary;
  private readonly chats: ChatStore;
  private readonly catalog: ModelCatalog;
  private readonly filePicker: FilePicker;
  private readonly settings: SettingsStore;
  private readonly statesDir: string;
  private readonly listeners = new Set<EventListener>();
  private readonly running = new Map<string, AbortController>();

  constructor(options: MainServiceOptions) {
    this.engine = options.engine ?? new Engine();
    this.documents = new DocumentLibrary(join(options.dataDir, "documents"));
    this.chats = new ChatStore(join(options.dataDir, "chats"));
    this.catalog = new ModelCatalog(
      options.bundledModelsDir ?? null,
      join(options.dataDir, "models"),
      join(options.dataDir, "opened-models.json"),
    );
    this.filePicker = options.filePicker ?? noFilePicker;
    this.settings = new SettingsStore(join(options.dataDir, "settings.json"));
    this.statesDir = join(options.dataDir, "states");
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async getStatus(): Promise<EngineStatus> {
    return {
      gpu: await this.engine.gpuInfo(),
      loadedModel: this.engine.model?.info ?? null,
      attentionProbe: probeAvailability(await getRuntime()),
    };
  }

  listModels(): Promise<ModelInfo[]> {
    return this.catalog.list();
  }

  async chooseModelFile(): Promise<ModelInfo | null> {
    const path = await this.filePicker.pickFile("model");
    if (!path) return null;
    return describeModelFile(await this.catalog.remember(path));
  }

  async loadModel({ modelId }: RequestOf<"loadModel">[0]): Promise<ModelInfo> {
    const entry = await this.catalog.find(modelId);
    if (!entry) throw new AppError("model-not-found", "That model is not in the list of known models.");
    return (await this.engine.loadModel(entry.path, { bundled: entry.bundled })).info;
  }

  listDocuments(): Promise<DocumentInfo[]> {
    return this.documents.list();
  }

  async chooseDocumentFile(): Promise<DocumentInfo | null> {
    const path = await this.filePicker.pickFile("document");
    if (!path) return null;
    return this.documents.import(basename(path), await readFile(path));
  }

  importDocument({ name, bytes }: RequestOf<"importDocument">[0]): Promise<DocumentInfo> {
    return this.documents.import(basename(name), bytes);
  }

  getDocumentText({ documentId }: RequestOf<"getDocumentText">[0]) {
    return this.documents.text(documentId);
  }

  async deleteDocument({ documentId }: RequestOf<"deleteDocument">[0]): Promise<void> {
    await this.documents.remove(documentId);
  }

  getChat({ documentId }: RequestOf<"getChat">[0]): Promise<Chat> {
    return this.chats.get(documentId);
  }

  async ask({ documentId, question, maxTokens }: RequestOf<"ask">[0]): Promise<{ requestId: string }> {
    if (!this.engine.model) throw new AppError("no-model", "Load a model first.");
    await this.documents.info(documentId);
    const requestId = randomUUID();
    const controller = new AbortController();
    this.running.set(requestId, controller);
    const questionMessage: ChatMessage = {
      id: randomUUID(),
      role: "user",
      text: question,
      createdAt: new Date().toISOString(),
    };
    const history = conversationTurns((await this.chats.get(documentId)).messages);
    await this.chats.append(documentId, questionMessage);
    this.emit({ type: "answer-started", requestId, documentId, questionMessage });
    void this.answer(requestId, documentId, history, question, maxTokens, controller.signal).finally(() =>
      this.running.delete(requestId),
    );
    return { requestId };
  }

  private async answer(
    requestId: string,
    documentId: string,
    history: ConversationTurn[],
    question: string,
    maxTokens: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    let streamed = "";
    try {
      const answer = await this.engine.exclusive(async () => {
        const text = await this.documents.text(documentId);
        const { compression } = await this.settings.get();
        const model = this.engine.model!.info;
        // One folder per document, model and settings: a saved state only fits the session that made it.
        const stateKey = createHash("sha256")
          .update(JSON.stringify([model.fileName, model.sizeBytes, compression]))
          .digest("hex")
          .slice(0, 16);
        const stateFolder = join(this.statesDir, documentId, stateKey);
        const onProgress = (progress: IngestProgress) =>
          this.emit({ type: "ingest-progress", requestId, documentId, ...progress });
        const session = await this.engine.sessionFor(`${documentId}/${stateKey}`, text.text, {
          signal,
          onProgress,
          compression,
          restoreFrom: stateFolder,
          saveTo: stateFolder,
        });
        return session.ask(history, question, {
          signal,
          onProgress,
          maxTokens,
          onText: (text) => {
            streamed += text;
            this.emit({ type: "answer-token", requestId, text });
          },
        });
      });
      const message: ChatMessage = {
        id: randomUUID(),
        role: "assistant",
        text: answer.text,
        createdAt: new Date().toISOString(),
        stats: answer.stats,
        ...(answer.stats.stopReason === "cancelled"
          ? { error: { code: "cancelled" as const, message: "Stopped." } }
          : {}),
      };
      await this.chats.append(documentId, message);
      if (message.error) this.emit({ type: "request-failed", requestId, error: message.error, message });
      else this.emit({ type: "answer-done", requestId, message });
    } catch (error) {
      const info = toAppErrorInfo(error);
      const message: ChatMessage = {
        id: randomUUID(),
        role: "assistant",
        text: streamed,
        createdAt: new Date().toISOString(),
        error: info,
      };
      await this.chats.append(documentId, message).catch(() => undefined);
      this.emit({ type: "request-failed", requestId, error: info, message });
    }
  }

  getSettings(): Promise<AppSettings> {
    return this.settings.get();
  }

  updateSettings(change: RequestOf<"updateSettings">[0]): Promise<AppSettings> {
    return this.settings.update(change);
  }

  async cancel({ requestId }: RequestOf<"cancel">[0]): Promise<void> {
    this.running.get(requestId)?.abort();
  }

  async dispose(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await this.engine.dispose();
  }
}
