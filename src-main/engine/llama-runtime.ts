import { getLlama, LlamaLogLevel, type Llama, type LlamaGpuType } from "node-llama-cpp";

/** COMPRESSKV_GPU chooses the backend: auto (default), cuda, vulkan, metal, or false for CPU only. */
function gpuSetting(): "auto" | LlamaGpuType {
  const value = process.env.COMPRESSKV_GPU?.trim().toLowerCase();
  if (!value || value === "auto") return "auto";
  if (value === "false" || value === "cpu" || value === "0") return false;
  if (value === "cuda" || value === "vulkan" || value === "metal") return value;
  throw new Error(`COMPRESSKV_GPU must be auto, cuda, vulkan, metal or false, not "${value}"`);
}

let runtime: Promise<Llama> | undefined;

/** The one llama.cpp runtime of this process; the GPU is detected on first use. */
export function getRuntime(): Promise<Llama> {
  runtime ??= getLlama({ gpu: gpuSetting(), build: "never", logLevel: LlamaLogLevel.error }).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}
