import type { GpuInfo } from "../../src-main/api/contract";

/** What the budget line shows beside the slider. */
export interface MemoryFigures {
  budgetBytes: number;
  /** The document's whole KV cache (no compression), when the document's length is known. */
  fullCacheTokens: number | null;
  fullCacheBytes: number | null;
  /** Tokens of KV cache that fit in the free memory of the device the cache lives on. */
  fitsTokens: number;
  freeBytes: number;
  device: "GPU" | "RAM";
}

export function memoryFigures(
  budget: number,
  kvBytesPerToken: number,
  documentTokens: number | null,
  gpu: GpuInfo,
): MemoryFigures {
  const onGpu = gpu.backend !== false && gpu.vramTotalBytes > 0;
  const freeBytes = onGpu ? gpu.vramFreeBytes : gpu.ramFreeBytes;
  return {
    budgetBytes: budget * kvBytesPerToken,
    fullCacheTokens: documentTokens,
    fullCacheBytes: documentTokens === null ? null : documentTokens * kvBytesPerToken,
    fitsTokens: kvBytesPerToken > 0 ? Math.floor(freeBytes / kvBytesPerToken) : 0,
    freeBytes,
    device: onGpu ? "GPU" : "RAM",
  };
}
