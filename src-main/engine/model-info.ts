import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { GgufFileInfo } from "node-llama-cpp";
import { kvBytesPerToken, modelShape } from "./model-shape";

/** What the engine knows of a model file; whether it is calibrated is the services' to add. */
export interface EngineModelInfo {
  id: string;
  name: string;
  fileName: string;
  sizeBytes: number;
  /** Bundled with the app, as opposed to a file the person opened or downloaded. */
  bundled: boolean;
  layers: number;
  heads: number;
  kvHeads: number;
  trainContextSize: number;
  /** KV cache bytes one token costs across all layers, at the cache type the engine uses. */
  kvBytesPerToken: number;
  /** "chat" when the GGUF carries a chat template, "completion" when prompts are plain text. */
  promptStyle: "chat" | "completion";
}

export function modelIdForPath(path: string): string {
  return createHash("sha256").update(path).digest("hex").slice(0, 16);
}

export function describeModel(
  path: string,
  fileInfo: GgufFileInfo,
  sizeBytes: number,
  bundled: boolean,
): EngineModelInfo {
  const shape = modelShape(fileInfo);
  return {
    id: modelIdForPath(path),
    name: String(fileInfo.metadata.general.name ?? basename(path)),
    fileName: basename(path),
    sizeBytes,
    bundled,
    layers: shape.layers,
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    trainContextSize: shape.trainContextSize,
    kvBytesPerToken: kvBytesPerToken(shape),
    promptStyle: shape.hasChatTemplate ? "chat" : "completion",
  };
}
