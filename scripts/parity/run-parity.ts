/**
 * Parity of the app's attention with reference/ (an independent numpy forward over llama.cpp's gguf
 * reader) on real models: dequantise the model to an all-F32 GGUF once, capture through the app's
 * probe, run reference/parity.py on the capture. See reference/README.md for the figures.
 */
import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { captureAttention } from "./capture-attention";
import { runReference } from "./reference-python";

/** A real model the parity runs on: its file in .cache/models and the layer its masked runs mask. */
export interface ParityModel {
  readonly id: string;
  readonly file: string;
  readonly maskedLayer: number;
  /** Run only when asked for (--models), not by default nor by the test. */
  readonly onRequest?: boolean;
}

export const PARITY_MODELS: readonly ParityModel[] = [
  { id: "smollm2-135m-instruct", file: "SmolLM2-135M-Instruct.Q4_1.gguf", maskedLayer: 10 },
  // Layer 5 is Gemma 3's first global layer.
  { id: "gemma-3-270m", file: "gemma-3-270m-q4_k_m.gguf", maskedLayer: 5 },
  // Its F32 file is 2 GB: a check of the qwen2 forward (biases, RoPE on halves), not part of the test.
  {
    id: "qwen2.5-coder-0.5b-instruct",
    file: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    maskedLayer: 8,
    onRequest: true,
  },
];

export interface ParityOptions {
  readonly python: string;
  readonly model: ParityModel;
  readonly prompts: readonly number[];
  readonly lengths: readonly number[];
  /** "F32": the weights dequantised to an all-F32 GGUF; "quantised": the file as fetched. */
  readonly weights: "F32" | "quantised";
  readonly kvCache: "F32" | "F16";
  readonly tolerance: number;
  readonly outDir: string;
  /** Print the reference's lines as they come. */
  readonly echo: boolean;
}

/** One figure per run, as reference/parity.py writes them. */
export interface ParityFigure {
  readonly model: string;
  readonly kvCache: string;
  readonly prompt: number;
  readonly length: number;
  readonly masked: boolean;
  /** Per kind of layer ("global", "window 512"); empty when the probe could not capture. */
  readonly maxAbsDifference: Record<string, number>;
  /** Largest |p| difference over the app's 64 likeliest next tokens after the last one. */
  readonly nextTokenDifference: number;
  readonly sameNextToken: boolean;
  readonly maskEffectDownstream?: number;
}

export interface ParityResult {
  readonly passed: boolean;
  readonly output: string;
  readonly figures: readonly ParityFigure[];
}

/** .cache/models/f32/<file>.f32.gguf, written by reference/dequantise.py when missing or older than the model. */
export function dequantisedModel(python: string, model: ParityModel): string {
  const source = resolve(".cache/models", model.file);
  const target = resolve(".cache/models/f32", `${basename(model.file, ".gguf")}.f32.gguf`);
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) return target;
  const { status, output } = runReference(python, "dequantise.py", [source, target], false);
  if (status !== 0) throw new Error(`dequantising ${model.file} failed: ${output}`);
  return target;
}

export async function runParity(options: ParityOptions): Promise<ParityResult> {
  const source = resolve(".cache/models", options.model.file);
  const modelPath = options.weights === "F32" ? dequantisedModel(options.python, options.model) : source;
  const outDir = resolve(options.outDir, `${options.model.id}-${options.weights}-${options.kvCache}`);
  await mkdir(outDir, { recursive: true });
  await captureAttention({
    modelPath,
    outDir,
    prompts: options.prompts,
    lengths: options.lengths,
    window: 8,
    kvCache: options.kvCache,
    maskedLayer: options.model.maskedLayer,
    maskedPositions: 16,
  });
  const figuresFile = join(outDir, "figures.json");
  await rm(figuresFile, { force: true });
  const { status, output } = runReference(
    options.python,
    "parity.py",
    [outDir, modelPath, "--tolerance", String(options.tolerance), "--json", figuresFile],
    options.echo,
  );
  const figures = existsSync(figuresFile) ? (JSON.parse(await readFile(figuresFile, "utf8")) as ParityFigure[]) : [];
  return { passed: status === 0, output, figures };
}
