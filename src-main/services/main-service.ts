import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { AppError, toAppErrorInfo } from "../api/app-error";
import type {
  AppSettings,
  Chat,
  ChatMessage,
  DocumentInfo,
  DownloadState,
  EngineEvent,
  EngineStatus,
  MainApi,
  ModelInfo,
  ModelProfileSummary,
  RecommendedModel,
  RequestOf,
  TokenMap,
} from "../api/contract";
import type { CompressionSettings } from "../api/compression-settings";
import { calibrateAndSave, readBundledHaystack } from "../calibration";
import type { EngineModelInfo } from "../engine/model-info";
import { documentTokenOffsets } from "../engine/token-offsets";
import { ModelDownloads } from "./model-downloads";
import { RECOMMENDED_MODELS } from "./recommended-models";
import { DocumentLibrary } from "../documents/document-library";
import { Engine } from "../engine/engine";
import { getRuntime } from "../engine/llama-runtime";
import { probeAvailability } from "../engine/probe";
import type { IngestProgress } from "../engine/document-session";
import type { ConversationTurn } from "../engine/prompt-format";
import { ChatStore, conversationTurns } from "./chat-store";
import { noFilePicker, type FilePicker } from "./file-picker";
import { describeModelFile, ModelCatalog } from "./model-catalog";
import { ModelProfiles, profileSummary } from "./model-profiles";
import { SettingsStore } from "./settings-store";

export interface MainServiceOptions {
  /** Where documents, chats, settings, profiles and downloaded models are kept. */
  dataDir: string;
  /** Files shipped with the app: `models/` (bundled GGUFs) and `calibration/haystack.txt`. */
  resourcesDir?: string | null;
  filePicker?: FilePicker;
  engine?: Engine;
  /** More folders of GGUF models to list (the real models `npm install` fetched into .cache/models). */
  setupModelsDirs?: readonly string[];
}

type EventListener = (event: EngineEvent) => void;

interface AnswerRequest {
  requestId: string;
  documentId: string;
  history: ConversationTurn[];
  question: string;
  maxTokens: number | undefined;
  settings: CompressionSettings;
  saveToChat: boolean;
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
  private readonly dataDir: string;
  private readonly resourcesDir: string | null;
  private readonly downloads: ModelDownloads;
  private readonly profiles: ModelProfiles;
  private readonly listeners = new Set<EventListener>();
  private readonly running = new Map<string, AbortController>();

  constructor(options: MainServiceOptions) {
    this.engine = options.engine ?? new Engine();
    this.documents = new DocumentLibrary(join(options.dataDir, "documents"));
    this.chats = new ChatStore(join(options.dataDir, "chats"));
    this.dataDir = options.dataDir;
    this.resourcesDir = options.resourcesDir ?? null;
    this.catalog = new ModelCatalog(
      this.resourcesDir ? join(this.resourcesDir, "models") : null,
      join(options.dataDir, "models"),
      join(options.dataDir, "opened-models.json"),
      options.setupModelsDirs,
    );
    this.downloads = new ModelDownloads(join(options.dataDir, "models"));
    this.filePicker = options.filePicker ?? noFilePicker;
    this.settings = new SettingsStore(join(options.dataDir, "settings.json"));
    this.statesDir = join(options.dataDir, "states");
    this.profiles = new ModelProfiles(options.dataDir, this.resourcesDir);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async getStatus(): Promise<EngineStatus> {
    const loaded = this.engine.model;
    return {
      gpu: await this.engine.gpuInfo(),
      loadedModel: loaded ? await this.withCalibration(loaded.info, loaded.path) : null,
      attentionProbe: probeAvailability(await getRuntime()),
    };
  }

  private async withCalibration(info: EngineModelInfo, path: string): Promise<ModelInfo> {
    return { ...info, calibrated: (await this.profiles.of(path)) !== undefined };
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = await this.catalog.list();
    return Promise.all(models.map(({ entry, info }) => this.withCalibration(info, entry.path)));
  }

  async chooseModelFile(): Promise<ModelInfo | null> {
    const path = await this.filePicker.pickFile("model");
    if (!path) return null;
    const entry = await this.catalog.remember(path);
    return this.withCalibration(await describeModelFile(entry), entry.path);
  }

  async loadModel({ modelId }: RequestOf<"loadModel">[0]): Promise<ModelInfo> {
    const entry = await this.catalog.find(modelId);
    if (!entry) throw new AppError("model-not-found", "That model is not in the list of known models.");
    const loaded = await this.engine.loadModel(entry.path, { bundled: entry.bundled });
    return this.withCalibration(loaded.info, loaded.path);
  }

  async getModelProfile({ modelId }: RequestOf<"getModelProfile">[0]): Promise<ModelProfileSummary | null> {
    const entry = await this.catalog.find(modelId);
    if (!entry) throw new AppError("model-not-found", "That model is not in the list of known models.");
    const profile = await this.profiles.of(entry.path);
    if (!profile) return null;
    return profileSummary(modelId, profile, (await this.settings.get()).compression.headsPerLayer);
  }

  async calibrateModel({ modelId, useDocumentId }: RequestOf<"calibrateModel">[0]): Promise<{ requestId: string }> {
    const loaded = this.engine.model;
    if (!loaded || loaded.info.id !== modelId)
      throw new AppError("no-model", "Load this model first, then calibrate it.");
    const probe = probeAvailability(await getRuntime());
    if (!probe.available) throw new AppError("not-available", `Calibration needs the attention probe: ${probe.reason}`);
    const haystack = useDocumentId
      ? { text: (await this.documents.text(useDocumentId)).text, source: "document" as const }
      : { text: await this.bundledHaystack(), source: "built-in" as const };
    const requestId = randomUUID();
    const controller = new AbortController();
    this.running.set(requestId, controller);
    void this.engine
      .exclusive(() =>
        calibrateAndSave(this.dataDir, loaded, {
          haystack,
          signal: controller.signal,
          onProgress: (p) =>
            this.emit({
              type: "calibration-progress",
              requestId,
              modelId,
              probesDone: p.probesDone,
              probesTotal: p.probesTotal,
              probesCounted: p.probesCounted,
              elapsedMs: p.elapsedMs,
              remainingMs: p.tokensDone > 0 ? (p.elapsedMs * (p.tokensTotal - p.tokensDone)) / p.tokensDone : 0,
            }),
        }),
      )
      .then(async ({ profile }) => {
        this.profiles.set(loaded.path, profile);
        const summary = await this.getModelProfile({ modelId });
        this.emit({ type: "calibration-done", requestId, modelId, profile: summary! });
      })
      .catch((error: unknown) => this.emit({ type: "request-failed", requestId, error: toAppErrorInfo(error) }))
      .finally(() => this.running.delete(requestId));
    return { requestId };
  }

  private async bundledHaystack(): Promise<string> {
    if (!this.resourcesDir) throw new AppError("not-available", "The built-in calibration text is not installed.");
    return readBundledHaystack(this.resourcesDir);
  }

  async importSampleDocument(): Promise<DocumentInfo> {
    if (!this.resourcesDir) throw new AppError("not-available", "The sample document is not installed.");
    const folder = join(this.resourcesDir, "samples");
    const [name] = (await readdir(folder).catch(() => [] as string[]))
      .filter((file) => /\.(pdf|txt|md)$/i.test(file))
      .sort();
    if (!name) throw new AppError("not-available", "The sample document is not installed.");
    return this.documents.import(name, await readFile(join(folder, name)));
  }

  async listRecommendedModels(): Promise<RecommendedModel[]> {
    return [...RECOMMENDED_MODELS];
  }

  async listDownloads(): Promise<DownloadState[]> {
    return this.downloads.list();
  }

  async downloadModel({ recommendedId }: RequestOf<"downloadModel">[0]): Promise<{ requestId: string }> {
    const model = RECOMMENDED_MODELS.find((candidate) => candidate.id === recommendedId);
    if (!model) throw new AppError("model-not-found", "That is not one of the recommended models.");
    const requestId = this.downloads.start(model, {
      onProgress: (download) => this.emit({ type: "download-progress", requestId: download.requestId, download }),
      onDone: async (download, path) => {
        const entry = await this.catalog.remember(path);
        const info = await this.withCalibration(await describeModelFile(entry), entry.path);
        this.emit({ type: "download-done", requestId: download.requestId, download, model: info });
      },
      onFailed: (download) =>
        this.emit({ type: "request-failed", requestId: download.requestId, error: download.error! }),
    });
    return { requestId };
  }

  async getTokenMap({ documentId }: RequestOf<"getTokenMap">[0]): Promise<TokenMap> {
    const loaded = this.engine.model;
    if (!loaded) throw new AppError("no-model", "Load a model first.");
    const text = await this.documents.text(documentId);
    return { documentId, modelId: loaded.info.id, offsets: documentTokenOffsets(loaded, text.text) };
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

  async ask({
    documentId,
    question,
    maxTokens,
    compression,
    saveToChat = true,
  }: RequestOf<"ask">[0]): Promise<{ requestId: string }> {
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
    const history = saveToChat ? conversationTurns((await this.chats.get(documentId)).messages) : [];
    if (saveToChat) await this.chats.append(documentId, questionMessage);
    const settings = { ...(await this.settings.get()).compression, ...compression };
    this.emit({ type: "answer-started", requestId, documentId, questionMessage });
    const request = { requestId, documentId, history, question, maxTokens, settings, saveToChat };
    void this.answer(request, controller.signal).finally(() => this.running.delete(requestId));
    return { requestId };
  }

  private async answer(request: AnswerRequest, signal: AbortSignal): Promise<void> {
    const { requestId, documentId, history, question, maxTokens, settings: compression } = request;
    let streamed = "";
    try {
      const answer = await this.engine.exclusive(async () => {
        const text = await this.documents.text(documentId);
        const loaded = this.engine.model;
        if (!loaded) throw new AppError("no-model", "Load a model first.");
        const model = loaded.info;
        const profile = await this.profiles.of(loaded.path);
        // One folder per document, model, settings and calibration: a saved state only fits the session that made it.
        const stateKey = createHash("sha256")
          .update(JSON.stringify([model.fileName, model.sizeBytes, compression, profile?.createdAt ?? null]))
          .digest("hex")
          .slice(0, 16);
        const stateFolder = join(this.statesDir, documentId, stateKey);
        const onProgress = (progress: IngestProgress) =>
          this.emit({ type: "ingest-progress", requestId, documentId, ...progress });
        const session = await this.engine.sessionFor(`${documentId}/${stateKey}`, text.text, {
          signal,
          onProgress,
          compression,
          profile,
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
      if (request.saveToChat) await this.chats.append(documentId, message);
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
      if (request.saveToChat) await this.chats.append(documentId, message).catch(() => undefined);
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
    this.downloads.cancel(requestId);
  }

  async dispose(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await this.engine.dispose();
  }
}
