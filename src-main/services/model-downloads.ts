import { randomUUID } from "node:crypto";
import { createModelDownloader } from "node-llama-cpp";
import { AppError, toAppErrorInfo } from "../api/app-error";
import type { DownloadState, RecommendedModel } from "../api/contract";

export interface DownloadEvents {
  onProgress(state: DownloadState): void;
  onDone(state: DownloadState, path: string): Promise<void>;
  onFailed(state: DownloadState): void;
}

/**
 * Downloads of recommended models into the app's models folder, through node-llama-cpp's
 * downloader. They run in the main process, so they go on when the renderer reloads.
 */
export class ModelDownloads {
  private readonly states = new Map<string, DownloadState>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(private readonly modelsFolder: string) {}

  list(): DownloadState[] {
    return [...this.states.values()].map((state) => ({ ...state }));
  }

  cancel(requestId: string): boolean {
    const controller = this.controllers.get(requestId);
    controller?.abort();
    return controller !== undefined;
  }

  start(model: RecommendedModel, events: DownloadEvents): string {
    const running = [...this.states.values()].find((s) => s.recommendedId === model.id && s.status === "downloading");
    if (running) throw new AppError("busy", `${model.name} is already downloading.`);
    const requestId = randomUUID();
    const controller = new AbortController();
    const state: DownloadState = {
      requestId,
      recommendedId: model.id,
      fileName: model.name,
      downloadedBytes: 0,
      totalBytes: model.approximateSizeBytes,
      status: "downloading",
    };
    this.states.set(requestId, state);
    this.controllers.set(requestId, controller);
    void this.run(model, state, controller.signal, events).finally(() => this.controllers.delete(requestId));
    return requestId;
  }

  private async run(
    model: RecommendedModel,
    state: DownloadState,
    signal: AbortSignal,
    events: DownloadEvents,
  ): Promise<void> {
    try {
      const downloader = await createModelDownloader({
        modelUri: model.uri,
        dirPath: this.modelsFolder,
        showCliProgress: false,
        deleteTempFileOnCancel: false,
        onProgress: ({ downloadedSize, totalSize }) => {
          state.downloadedBytes = downloadedSize;
          state.totalBytes = totalSize;
          events.onProgress({ ...state });
        },
      });
      state.fileName = downloader.entrypointFilename;
      const path = await downloader.download({ signal });
      state.status = "done";
      await events.onDone({ ...state }, path);
    } catch (error) {
      state.status = signal.aborted ? "cancelled" : "failed";
      state.error = signal.aborted
        ? { code: "cancelled", message: "Download cancelled." }
        : { code: "internal", message: `Downloading ${model.name} failed: ${toAppErrorInfo(error).message}` };
      events.onFailed({ ...state });
    }
  }
}
