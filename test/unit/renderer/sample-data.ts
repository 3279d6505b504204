import type {
  AnswerStats,
  ChatMessage,
  CompressionReport,
  DocumentInfo,
  DocumentText,
  EngineStatus,
  ModelInfo,
  TokenMap,
} from "../../../src-main/api/contract";

export const tinyModel: ModelInfo = {
  id: "tiny-llama",
  name: "Tiny Llama",
  fileName: "tiny-llama.gguf",
  sizeBytes: 3 * 1024 * 1024,
  bundled: false,
  layers: 4,
  heads: 8,
  kvHeads: 2,
  trainContextSize: 2048,
  kvBytesPerToken: 4096,
  promptStyle: "completion",
  calibrated: false,
};

export const otherModel: ModelInfo = { ...tinyModel, id: "other", name: "Other Model", fileName: "other.gguf" };

export const cpuStatus: EngineStatus = {
  gpu: {
    backend: false,
    deviceNames: [],
    vramTotalBytes: 0,
    vramFreeBytes: 0,
    ramTotalBytes: 24 * 1024 ** 3,
    ramFreeBytes: 12 * 1024 ** 3,
  },
  loadedModel: null,
  attentionProbe: { available: false, reason: "the probe addon is not built" },
};

export const report: DocumentInfo = {
  id: "doc-report",
  name: "report.pdf",
  kind: "pdf",
  pages: 2,
  characters: 26,
  sizeBytes: 2048,
  addedAt: "2026-01-01T00:00:00.000Z",
};

export const notes: DocumentInfo = {
  id: "doc-notes",
  name: "notes.md",
  kind: "markdown",
  pages: 1,
  characters: 5,
  sizeBytes: 5,
  addedAt: "2026-01-02T00:00:00.000Z",
};

export const reportText: DocumentText = {
  documentId: report.id,
  text: "First page text.Second one",
  pages: [
    { page: 1, start: 0, end: 16 },
    { page: 2, start: 16, end: 26 },
  ],
};

/** One token per 2 characters of reportText, after a 2-token prompt head; -1 outside the document. */
export const reportTokenMap: TokenMap = {
  documentId: report.id,
  modelId: tinyModel.id,
  offsets: [-1, -1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, -1, -1],
};

export const stats: AnswerStats = {
  promptTokens: 120,
  documentTokens: 100,
  generatedTokens: 12,
  cacheCells: 132,
  allocatedCells: 256,
  kvBytes: 540_672,
  prefillMs: 340,
  decodeMs: 1250,
  stopReason: "eos",
};

export function userMessage(id: string, text: string): ChatMessage {
  return { id, role: "user", text, createdAt: "2026-01-01T00:00:01.000Z" };
}

export function assistantMessage(id: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: "assistant", text, createdAt: "2026-01-01T00:00:02.000Z", ...extra };
}

/** Two layers that keep the prompt's first two tokens and "Second one" (page 2 of reportText). */
export const compressedReport: CompressionReport = {
  requestedMethod: "compresskv",
  method: "snapkv",
  fallbackReason: "CompressKV needs a calibrated model",
  plan: "shared",
  questionAware: true,
  reading: "question-aware",
  reservoirCells: 8,
  removal: "keep-positions",
  budget: 8,
  layers: [
    { budget: 8, visible: 8, retainedMass: 0.9, visibleRanges: [0, 2, 10, 16] },
    { budget: 8, visible: 8, retainedMass: null, visibleRanges: [0, 2, 10, 16] },
  ],
  unionRanges: [0, 2, 10, 16],
  passes: 1,
  scoringMs: 12,
  removalMs: 3,
};

export const compressedStats: AnswerStats = { ...stats, compression: compressedReport };
