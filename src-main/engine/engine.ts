import { AppError } from "../errors/app-error";
import { DocumentSession, type OpenSessionOptions } from "./document-session";
import { getRuntime } from "./llama-runtime";
import { LoadedModel } from "./loaded-model";

export interface GpuInfo {
  /** "cuda", "vulkan", "metal", or false for CPU only. */
  backend: string | false;
  deviceNames: string[];
  vramTotalBytes: number;
  vramFreeBytes: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
}

/**
 * The engine of one process: at most one model, and one open document session on it. Work runs
 * one job at a time, in order; a failed model load leaves the previous model in place.
 */
export class Engine {
  private loaded: LoadedModel | null = null;
  private open: { key: string; session: DocumentSession } | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  get model(): LoadedModel | null {
    return this.loaded;
  }

  /** Runs `job` after every job queued before it. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async gpuInfo(): Promise<GpuInfo> {
    const llama = await getRuntime();
    const ram = await llama.getRamState();
    const vram = llama.gpu ? await llama.getVramState() : { total: 0, free: 0 };
    return {
      backend: llama.gpu,
      deviceNames: llama.gpu ? await llama.getGpuDeviceNames() : [],
      vramTotalBytes: vram.total,
      vramFreeBytes: vram.free,
      ramTotalBytes: ram.total,
      ramFreeBytes: ram.free,
    };
  }

  loadModel(path: string, options: { bundled?: boolean } = {}): Promise<LoadedModel> {
    return this.exclusive(async () => {
      if (this.loaded?.path === path) return this.loaded;
      const next = await LoadedModel.load(await getRuntime(), path, options);
      await this.closeSession();
      await this.loaded?.dispose();
      this.loaded = next;
      return next;
    });
  }

  /**
   * The session for a document read with `options`, opening it unless the open one was made for the
   * same `key` (say, the document and the settings) on the current model. Call inside exclusive().
   */
  async sessionFor(key: string, documentText: string, options: OpenSessionOptions = {}): Promise<DocumentSession> {
    const model = this.loaded;
    if (!model) throw new AppError("no-model", "Load a model first.");
    if (this.open?.key === key && this.open.session.model === model) return this.open.session;
    await this.closeSession();
    const session = await DocumentSession.open(model, documentText, options);
    this.open = { key, session };
    return session;
  }

  private async closeSession(): Promise<void> {
    const open = this.open;
    this.open = null;
    await open?.session.dispose();
  }

  async dispose(): Promise<void> {
    await this.exclusive(async () => {
      await this.closeSession();
      await this.loaded?.dispose();
      this.loaded = null;
    });
  }
}
