import type { DownloadState, ModelProfileSummary, RecommendedModel } from "../../../src-main/api/contract";
import { tinyModel } from "./sample-data";

export const tinyProfile: ModelProfileSummary = {
  modelId: tinyModel.id,
  createdAt: "2026-01-03T00:00:00.000Z",
  durationMs: 183_000,
  probesRun: 40,
  probesCounted: 38,
  semanticScores: [
    [0.1, 0.4, 0, 0.2],
    [0.05, 0, 0.9, 0.3],
  ],
  chosenHeads: [
    [1, 3],
    [2, 3],
  ],
  layerWeights: [0.25, 0.75],
};

export const smallLlama: RecommendedModel = {
  id: "llama-3.2-3b-instruct",
  name: "Llama 3.2 3B Instruct (Q4_K_M)",
  description: "Small and quick.",
  uri: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
  approximateSizeBytes: 2_020_000_000,
};

export const halfDownloaded: DownloadState = {
  requestId: "dl-1",
  recommendedId: smallLlama.id,
  fileName: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
  downloadedBytes: 1024 ** 3,
  totalBytes: 2 * 1024 ** 3,
  status: "downloading",
};
