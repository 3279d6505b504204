import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "../../src-main/api/contract";
import { MainService } from "../../src-main/services/main-service";
import { makeTinyModel } from "../models/make-model";

/** A MainService over a temporary data folder, with one bundled tiny model and a scripted file picker. */
export interface ServiceFixture {
  dir: string;
  service: MainService;
  events: EngineEvent[];
  /** What the next open dialog returns (null: the person cancels). */
  pick(path: string | null): void;
  /** The built renderer folder the bridge serves (one index.html). */
  rendererDir: string;
  /** Resolves with the request's answer-done or request-failed event. */
  finished(requestId: string): Promise<EngineEvent>;
  close(): Promise<void>;
}

export async function startServiceFixture(prefix: string): Promise<ServiceFixture> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await makeTinyModel(join(dir, "resources", "models", "tiny.gguf"), 1);
  const rendererDir = join(dir, "renderer");
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, "index.html"), "<!doctype html><title>test</title>");
  let next: string | null = null;
  const service = new MainService({
    dataDir: join(dir, "data"),
    resourcesDir: join(dir, "resources"),
    filePicker: { pickFile: async () => next },
  });
  const events: EngineEvent[] = [];
  service.subscribe((event) => events.push(event));
  return {
    dir,
    service,
    events,
    rendererDir,
    pick: (path) => {
      next = path;
    },
    finished: (requestId) =>
      new Promise((resolve) => {
        const check = () => {
          const done = events.find(
            (e) => (e.type === "answer-done" || e.type === "request-failed") && e.requestId === requestId,
          );
          if (done) resolve(done);
          else setTimeout(check, 5);
        };
        check();
      }),
    close: async () => {
      await service.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
