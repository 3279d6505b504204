import { z } from "zod";
import type { AppErrorInfo } from "./app-error";
import { MAX_RESERVOIR_MULTIPLE, METHOD_NAMES, type CompressionSettings } from "./compression-settings";
import type { DocumentInfo, DocumentKind, DocumentText, PageRange } from "../documents/document-types";
import type { GpuInfo } from "../engine/engine";
import type { EngineModelInfo } from "../engine/model-info";
import type { AnswerStats, CompressionReport, LayerCacheReport } from "../engine/document-session";

// What the engine and the documents produce, as the contract hands it on.
export type {
  AnswerStats,
  CompressionReport,
  DocumentInfo,
  DocumentKind,
  DocumentText,
  GpuInfo,
  LayerCacheReport,
  PageRange,
};

/**
 * The one contract between the main process and the renderer. Requests are validated with these
 * schemas in the main process (see validated-api.ts); the renderer imports only the types.
 */

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;
export const MAX_QUESTION_CHARACTERS = 20_000;

const oddKernel = z
  .number()
  .int()
  .min(1)
  .max(63)
  .refine((k) => k % 2 === 1, "kernel must be odd");

export const compressionSettingsSchema = z
  .object({
    method: z.enum(METHOD_NAMES),
    budget: z.number().int().min(16).max(16_000_000),
    window: z.number().int().min(1).max(1024),
    sinks: z.number().int().min(0).max(256),
    pooling: z.object({ kind: z.enum(["avg", "max"]), kernel: oddKernel }).strict(),
    headsPerLayer: z.number().int().min(1).max(1024),
    plan: z.enum(["shared", "exact"]),
    questionAware: z.boolean(),
    reservoirMultiple: z.number().min(0).max(MAX_RESERVOIR_MULTIPLE),
    chunkTokens: z.number().int().min(64).max(1_000_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    uniformLayerBudgets: z.boolean().optional(),
    perLayerBudget: z.boolean().optional(),
  })
  .strict();

export const requestSchemas = {
  getStatus: z.tuple([]),
  listModels: z.tuple([]),
  chooseModelFile: z.tuple([]),
  loadModel: z.tuple([z.object({ modelId: id }).strict()]),
  listDocuments: z.tuple([]),
  chooseDocumentFile: z.tuple([]),
  importDocument: z.tuple([
    z
      .object({
        name: z.string().min(1).max(512),
        bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_DOCUMENT_BYTES, "document too large"),
      })
      .strict(),
  ]),
  getDocumentText: z.tuple([z.object({ documentId: id }).strict()]),
  deleteDocument: z.tuple([z.object({ documentId: id }).strict()]),
  getChat: z.tuple([z.object({ documentId: id }).strict()]),
  ask: z.tuple([
    z
      .object({
        documentId: id,
        question: z.string().trim().min(1).max(MAX_QUESTION_CHARACTERS),
        maxTokens: z.number().int().min(1).max(8192).optional(),
        /** Settings for this request only, over the saved ones (the compare view). */
        compression: compressionSettingsSchema.partial().strict().optional(),
        /** False keeps the question and answer out of the document's chat (the compare view). */
        saveToChat: z.boolean().optional(),
      })
      .strict(),
  ]),
  cancel: z.tuple([z.object({ requestId: id }).strict()]),
  getSettings: z.tuple([]),
  getTokenMap: z.tuple([z.object({ documentId: id }).strict()]),
  getModelProfile: z.tuple([z.object({ modelId: id }).strict()]),
  calibrateModel: z.tuple([z.object({ modelId: id, useDocumentId: id.optional() }).strict()]),
  listRecommendedModels: z.tuple([]),
  importSampleDocument: z.tuple([]),
  listDownloads: z.tuple([]),
  downloadModel: z.tuple([z.object({ recommendedId: id }).strict()]),
  updateSettings: z.tuple([z.object({ compression: compressionSettingsSchema.partial().strict() }).strict()]),
} as const;

export type MainApiMethod = keyof typeof requestSchemas;
export type RequestOf<M extends MainApiMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface ModelInfo extends EngineModelInfo {
  /** Whether a calibration profile (semantic retrieval heads, layer weights) is stored for this file. */
  calibrated: boolean;
}

/** A model's calibration as the renderer shows it. */
export interface ModelProfileSummary {
  modelId: string;
  createdAt: string;
  durationMs: number;
  probesRun: number;
  probesCounted: number;
  /** [layer][head] mean semantic retrieval score. */
  semanticScores: number[][];
  /** Per layer, the query heads CompressKV uses (best first). */
  chosenHeads: number[][];
  /** Per layer eviction-error weights e_l (sum 1). */
  layerWeights: number[];
}

/** Where each prompt token sits in the document text, for the heat map and citations. */
export interface TokenMap {
  documentId: string;
  modelId: string;
  /** Per prompt token position: the document character offset it starts at, or -1 outside the document. */
  offsets: number[];
}

export interface RecommendedModel {
  id: string;
  name: string;
  description: string;
  /** node-llama-cpp model URI (e.g. hf:owner/repo:quant). */
  uri: string;
  approximateSizeBytes: number;
}

export interface DownloadState {
  requestId: string;
  recommendedId: string;
  fileName: string;
  downloadedBytes: number;
  totalBytes: number;
  status: "downloading" | "done" | "failed" | "cancelled";
  error?: AppErrorInfo;
}

export interface EngineStatus {
  gpu: GpuInfo;
  loadedModel: ModelInfo | null;
  /** Whether the attention probe (the patched native addon) is loaded, and if not, why. */
  attentionProbe: { available: boolean; reason?: string };
}

export type CompressionMethodName = (typeof METHOD_NAMES)[number];

/** Settings a person chooses; they survive restarts. */
export interface AppSettings {
  compression: CompressionSettings;
}

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  createdAt: string;
  /** Present on finished assistant messages. */
  stats?: AnswerStats;
  /** Set when an assistant answer ended early (cancelled or failed). */
  error?: AppErrorInfo;
}

export interface Chat {
  documentId: string;
  messages: ChatMessage[];
}

export type EngineEvent =
  | {
      type: "ingest-progress";
      requestId: string;
      documentId: string;
      phase: "tokenizing" | "prefill";
      doneTokens: number;
      totalTokens: number;
      /** Cells in use after this step (compressed reading). */
      cacheCells?: number;
      /** Compression passes so far. */
      passes?: number;
    }
  | { type: "answer-started"; requestId: string; documentId: string; questionMessage: ChatMessage }
  | { type: "answer-token"; requestId: string; text: string }
  | { type: "answer-done"; requestId: string; message: ChatMessage }
  | { type: "request-failed"; requestId: string; error: AppErrorInfo; message?: ChatMessage }
  | {
      type: "calibration-progress";
      requestId: string;
      modelId: string;
      probesDone: number;
      probesTotal: number;
      probesCounted: number;
      elapsedMs: number;
      /** Estimated time left, from the prompt tokens still to read. */
      remainingMs: number;
    }
  | { type: "calibration-done"; requestId: string; modelId: string; profile: ModelProfileSummary }
  | { type: "download-progress"; requestId: string; download: DownloadState }
  | { type: "download-done"; requestId: string; download: DownloadState; model: ModelInfo };

/** What the main process serves. Every method's arguments are validated against requestSchemas. */
export interface MainApi {
  getStatus(): Promise<EngineStatus>;
  listModels(): Promise<ModelInfo[]>;
  /** Shows the native open dialog; null when the person cancels. */
  chooseModelFile(): Promise<ModelInfo | null>;
  loadModel(request: RequestOf<"loadModel">[0]): Promise<ModelInfo>;
  listDocuments(): Promise<DocumentInfo[]>;
  chooseDocumentFile(): Promise<DocumentInfo | null>;
  importDocument(request: RequestOf<"importDocument">[0]): Promise<DocumentInfo>;
  getDocumentText(request: RequestOf<"getDocumentText">[0]): Promise<DocumentText>;
  deleteDocument(request: RequestOf<"deleteDocument">[0]): Promise<void>;
  getChat(request: RequestOf<"getChat">[0]): Promise<Chat>;
  /** Starts an answer; its text arrives as events carrying the returned requestId. */
  ask(request: RequestOf<"ask">[0]): Promise<{ requestId: string }>;
  cancel(request: RequestOf<"cancel">[0]): Promise<void>;
  getSettings(): Promise<AppSettings>;
  /** Token positions to document offsets for the loaded model (the heat map's x axis, citations). */
  getTokenMap(request: RequestOf<"getTokenMap">[0]): Promise<TokenMap>;
  /** The stored calibration of a model, or null before it is calibrated. */
  getModelProfile(request: RequestOf<"getModelProfile">[0]): Promise<ModelProfileSummary | null>;
  /** Starts calibrating a model (it must be the loaded one); progress arrives as events; cancel() stops it. */
  calibrateModel(request: RequestOf<"calibrateModel">[0]): Promise<{ requestId: string }>;
  listRecommendedModels(): Promise<RecommendedModel[]>;
  /** Adds the sample document shipped with the app to the library (first run, offline demo). */
  importSampleDocument(): Promise<DocumentInfo>;
  /** Downloads in progress or finished since the app started (they survive a renderer reload). */
  listDownloads(): Promise<DownloadState[]>;
  /** Starts downloading a recommended model into the app's models folder; cancel() stops it. */
  downloadModel(request: RequestOf<"downloadModel">[0]): Promise<{ requestId: string }>;
  /** Merges the given fields into the settings and returns them all. */
  updateSettings(request: RequestOf<"updateSettings">[0]): Promise<AppSettings>;
}

/** What the renderer serves back to the main process. */
export interface RendererApi {
  onEngineEvent(event: EngineEvent): void;
}
