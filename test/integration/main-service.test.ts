import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src-main/api/contract";
import { validatedApi, type UntrustedApi } from "../../src-main/api/validated-api";
import { MainService } from "../../src-main/services/main-service";
import { makeNumberedPdf } from "../fixtures/pdf-writer";
import { makeTinyModel } from "../models/make-model";

let dir: string;
let service: MainService;
let api: UntrustedApi;
const events: EngineEvent[] = [];
let pickNext: string | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-service-"));
  await makeTinyModel(join(dir, "resources", "models", "tiny.gguf"), 1);
  service = new MainService({
    dataDir: join(dir, "data"),
    resourcesDir: join(dir, "resources"),
    filePicker: { pickFile: async () => pickNext },
  });
  service.subscribe((event) => events.push(event));
  api = validatedApi(service);
});

afterAll(async () => {
  await service.dispose();
  await rm(dir, { recursive: true, force: true });
});

function finished(requestId: string): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const check = () => {
      const done = events.find(
        (e) => (e.type === "answer-done" || e.type === "request-failed") && e.requestId === requestId,
      );
      if (done) resolve(done);
      else setTimeout(check, 10);
    };
    check();
  });
}

describe("the main-process services through the validated boundary", () => {
  it("lists the bundled model, loads it, imports a PDF and streams an answer saved in the chat", async () => {
    const models = (await api.listModels()) as { id: string; bundled: boolean; layers: number }[];
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ bundled: true, layers: 4 });
    await api.loadModel({ modelId: models[0].id });

    const document = (await api.importDocument({ name: "ships.pdf", bytes: makeNumberedPdf(3) })) as {
      id: string;
      pages: number;
    };
    expect(document.pages).toBe(3);
    expect(await api.listDocuments()).toMatchObject([{ id: document.id, name: "ships.pdf", kind: "pdf" }]);

    const { requestId } = (await api.ask({ documentId: document.id, question: "Which ship?", maxTokens: 8 })) as {
      requestId: string;
    };
    const done = await finished(requestId);
    expect(done.type).toBe("answer-done");
    const tokens = events.filter((e) => e.type === "answer-token" && e.requestId === requestId);
    expect(tokens.length).toBeGreaterThan(1);
    expect(events.some((e) => e.type === "ingest-progress" && e.requestId === requestId)).toBe(true);
    const chat = (await api.getChat({ documentId: document.id })) as { messages: { role: string; text: string }[] };
    expect(chat.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(chat.messages[1].text).toBe(tokens.map((e) => (e as { text: string }).text).join(""));
  });

  it("lists the models set up beside the app (a checkout's fetched models) as downloads, and loads them", async () => {
    await makeTinyModel(join(dir, "setup-models", "fetched.gguf"), 2);
    const beside = new MainService({
      dataDir: join(dir, "data-setup"),
      resourcesDir: join(dir, "resources"),
      setupModelsDirs: [join(dir, "setup-models"), join(dir, "no-such-folder")],
    });
    try {
      const models = await beside.listModels();
      expect(models.map((m) => [m.fileName, m.bundled])).toEqual([
        ["tiny.gguf", true],
        ["fetched.gguf", false],
      ]);
      expect((await beside.loadModel({ modelId: models[1].id })).fileName).toBe("fetched.gguf");
    } finally {
      await beside.dispose();
    }
  });

  it("cancels a running answer, keeping the partial text in the chat", async () => {
    const [document] = (await api.listDocuments()) as { id: string }[];
    const { requestId } = (await api.ask({ documentId: document.id, question: "Tell me more", maxTokens: 400 })) as {
      requestId: string;
    };
    await new Promise<void>((resolve) => {
      const check = () =>
        events.some((e) => e.type === "answer-token" && e.requestId === requestId) ? resolve() : setTimeout(check, 5);
      check();
    });
    await api.cancel({ requestId });
    const done = await finished(requestId);
    expect(done).toMatchObject({ type: "request-failed", error: { code: "cancelled" } });
    const chat = (await api.getChat({ documentId: document.id })) as { messages: { error?: { code: string } }[] };
    expect(chat.messages).toHaveLength(4);
    expect(chat.messages[3].error?.code).toBe("cancelled");
  });

  it("answers malformed and hostile requests with errors", async () => {
    await expect(api.loadModel({ modelId: "../../etc/passwd" })).rejects.toMatchObject({ code: "invalid-request" });
    await expect(api.loadModel({ modelId: "0123456789abcdef" })).rejects.toMatchObject({ code: "model-not-found" });
    await expect(api.ask({ documentId: "x", question: "   " })).rejects.toMatchObject({ code: "invalid-request" });
    await expect(api.ask({ documentId: "x", question: "q", extra: 1 })).rejects.toMatchObject({
      code: "invalid-request",
    });
    await expect(api.importDocument({ name: "a.pdf", bytes: "not bytes" })).rejects.toMatchObject({
      code: "invalid-request",
    });
    await expect(api.getDocumentText({ documentId: "missing" })).rejects.toMatchObject({ code: "document-not-found" });
    await expect(api.importDocument({ name: "broken.pdf", bytes: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: "bad-document",
    });
  });

  it("refuses a picked file that is not GGUF and keeps the loaded model", async () => {
    const before = (await api.getStatus()) as { loadedModel: { id: string } };
    pickNext = join(dir, "readme.gguf");
    await writeFile(pickNext, "hello");
    await expect(api.chooseModelFile()).rejects.toMatchObject({ code: "not-gguf" });
    const after = (await api.getStatus()) as { loadedModel: { id: string } };
    expect(after.loadedModel.id).toBe(before.loadedModel.id);
    pickNext = null;
    expect(await api.chooseModelFile()).toBeNull();
  });

  it("keeps settings, validates them, and compresses answers with them", async () => {
    await expect(api.updateSettings({ compression: { budget: 3 } })).rejects.toMatchObject({ code: "invalid-request" });
    await expect(api.updateSettings({ compression: { method: "magic" } })).rejects.toMatchObject({
      code: "invalid-request",
    });
    const updated = (await api.updateSettings({
      compression: { method: "streaming-llm", budget: 64, chunkTokens: 64, questionAware: false },
    })) as { compression: { method: string; budget: number; plan: string } };
    expect(updated.compression).toMatchObject({ method: "streaming-llm", budget: 64, plan: "shared" });
    expect(await api.getSettings()).toEqual(updated);

    const [document] = (await api.listDocuments()) as { id: string }[];
    const { requestId } = (await api.ask({ documentId: document.id, question: "Which ship?", maxTokens: 4 })) as {
      requestId: string;
    };
    const done = await finished(requestId);
    expect(done.type).toBe("answer-done");
    const stats = (
      done as unknown as { message: { stats: { cacheCells: number; compression: Record<string, unknown> } } }
    ).message.stats;
    expect(stats.compression).toMatchObject({ method: "streaming-llm", budget: 64, questionAware: false });
    const progress = events.filter((e) => e.type === "ingest-progress" && e.requestId === requestId);
    expect(progress.some((e) => (e as { passes?: number }).passes! > 0)).toBe(true);
  });
});
