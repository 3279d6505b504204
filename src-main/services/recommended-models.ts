import type { RecommendedModel } from "../api/contract";

/**
 * Models known to work with the app: llama-family GGUFs with plain (non-sliding-window) attention,
 * so every CompressKV method and the attention probe apply. Sizes are those of the Q4_K_M files.
 */
export const RECOMMENDED_MODELS: readonly RecommendedModel[] = [
  {
    id: "llama-3.2-3b-instruct",
    name: "Llama 3.2 3B Instruct (Q4_K_M)",
    description: "Small and quick; 128k context. A good first model on laptops and 4-8 GB GPUs.",
    uri: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
    approximateSizeBytes: 2_020_000_000,
  },
  {
    id: "llama-3.1-8b-instruct",
    name: "Llama 3.1 8B Instruct (Q4_K_M)",
    description: "The paper's main model; 128k context. Needs about 6 GB plus the cache.",
    uri: "hf:bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M",
    approximateSizeBytes: 4_920_000_000,
  },
  {
    id: "mistral-7b-instruct-v0.3",
    name: "Mistral 7B Instruct v0.3 (Q4_K_M)",
    description: "The paper's second model; 32k context.",
    uri: "hf:bartowski/Mistral-7B-Instruct-v0.3-GGUF:Q4_K_M",
    approximateSizeBytes: 4_370_000_000,
  },
  {
    id: "qwen2.5-7b-instruct",
    name: "Qwen 2.5 7B Instruct (Q4_K_M)",
    description: "Strong at reading and multilingual text; 32k context.",
    uri: "hf:bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M",
    approximateSizeBytes: 4_680_000_000,
  },
];
