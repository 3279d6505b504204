import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { GgufFileInfo } from "node-llama-cpp";
import type { ModelInfo } from "../api/contract";
import { kvBytesPerToken, modelShape } from "./model-shape";

/** What the engine knows of a model file; whether it is calibrated is the services' to add. */
export type EngineModelInfo = Omit<ModelInfo, "calibrated">;

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
