import { basename } from "node:path";
import { GgufInsights, type Llama, type LlamaModel } from "node-llama-cpp";
import { AppError } from "../errors/app-error";
import { readGgufHeader } from "./gguf-file";
import { describeModel, type EngineModelInfo } from "./model-info";
import { modelShape, type ModelShape } from "./model-shape";

function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** A GGUF model in memory, with what the app needs to know about its shape. */
export class LoadedModel {
  private constructor(
    readonly info: EngineModelInfo,
    readonly shape: ModelShape,
    readonly model: LlamaModel,
    readonly path: string,
  ) {}

  static async load(llama: Llama, path: string, options: { bundled?: boolean } = {}): Promise<LoadedModel> {
    const { info: fileInfo, sizeBytes } = await readGgufHeader(path);
    const shape = modelShape(fileInfo);
    const insights = await GgufInsights.from(fileInfo, llama);
    const needs = insights.estimateModelResourceRequirements({ gpuLayers: llama.gpu ? insights.totalLayers : 0 });
    const ram = await llama.getRamState();
    const vram = llama.gpu ? await llama.getVramState() : { total: 0 };
    if (needs.cpuRam > ram.total || needs.gpuVram > vram.total) {
      throw new AppError(
        "model-too-large",
        `${basename(path)} needs about ${formatGiB(needs.cpuRam + needs.gpuVram)} of memory; ` +
          `this computer has ${formatGiB(ram.total)} RAM` +
          (llama.gpu ? ` and ${formatGiB(vram.total)} GPU memory.` : "."),
      );
    }
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, gpuLayers: llama.gpu ? "auto" : 0 });
    } catch (error) {
      const message = (error as Error).message;
      const tooLarge = /memory|VRAM|alloc/i.test(message);
      throw new AppError(
        tooLarge ? "model-too-large" : "model-load-failed",
        `${basename(path)} could not be loaded: ${message}`,
      );
    }
    const info = describeModel(path, fileInfo, sizeBytes, options.bundled ?? false);
    return new LoadedModel(info, shape, model, path);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
