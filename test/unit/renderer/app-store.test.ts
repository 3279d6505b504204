// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { ChatMessage, EngineEvent } from "../../../src-main/api/contract";
import { createAppStore } from "../../../src-renderer/state/app-store";
import { selectAnswerFor, selectLoadedModel, selectSelectedDocument } from "../../../src-renderer/state/selectors";
import { deferred, fakeMainApi } from "./fake-main-api";
import { cpuStatus, notes, report, reportText, tinyModel, userMessage } from "./sample-data";

const closed = new Error('[birpc] rpc is closed, cannot call "listModels"');
const notFound = { code: "document-not-found" as const, message: "No such document." };

async function startedStore(api = fakeMainApi()) {
  const store = createAppStore(api);
  store.getState().setConnection("open");
  await store.getState().start();
  await flush();
  return { store, api };
}

function started(requestId: string, questionMessage: ChatMessage): EngineEvent {
  return { type: "answer-started", requestId, documentId: report.id, questionMessage };
}

/** Lets the fetches that start() and selectDocument() fire off settle. */
async function flush() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("app store", () => {
  it("fetches status, models and documents, and selects the first document with its text and chat", async () => {
    const { store, api } = await startedStore();
    const state = store.getState();
    expect(state.engineStatus).toEqual({ status: "loaded", value: cpuStatus });
    expect(state.models).toEqual({ status: "loaded", value: [tinyModel] });
    expect(selectSelectedDocument(state)).toEqual(report);
    expect(state.documentTexts[report.id]).toEqual({ status: "loaded", value: reportText });
    expect(state.chats[report.id]).toEqual({ history: "loaded", messages: [] });
    expect(api.getDocumentText).toHaveBeenCalledWith({ documentId: report.id });
  });

  it("marks a failed list as failed and reports it, keeping what else loaded", async () => {
    const api = fakeMainApi({ listModels: async () => Promise.reject({ code: "internal", message: "disk gone" }) });
    const { store } = await startedStore(api);
    const state = store.getState();
    expect(state.models).toEqual({ status: "failed", error: { code: "internal", message: "disk gone" } });
    expect(state.notices).toEqual([
      { id: 1, title: "Could not list the models", error: { code: "internal", message: "disk gone" } },
    ]);
    expect(state.documents).toEqual({ status: "loaded", value: [report] });
  });

  it("shows the loaded model as soon as loadModel answers", async () => {
    const status = deferred<typeof cpuStatus>();
    const api = fakeMainApi();
    const { store } = await startedStore(api);
    api.getStatus.mockReturnValueOnce(status.promise);
    const loading = store.getState().loadModel(tinyModel.id);
    expect(store.getState().loadingModelId).toBe(tinyModel.id);
    await flush();
    expect(selectLoadedModel(store.getState())).toEqual(tinyModel);
    status.resolve({ ...cpuStatus, loadedModel: tinyModel });
    await loading;
    expect(store.getState().loadingModelId).toBeNull();
    expect(api.loadModel).toHaveBeenCalledWith({ modelId: tinyModel.id });
  });

  it("reports a model that fails to load and leaves none loaded", async () => {
    const api = fakeMainApi({
      loadModel: async () => Promise.reject({ code: "not-gguf", message: "notes.txt is not a GGUF file." }),
    });
    const { store } = await startedStore(api);
    await store.getState().loadModel("bad");
    expect(selectLoadedModel(store.getState())).toBeNull();
    expect(store.getState().notices.map((n) => n.error.message)).toEqual(["notes.txt is not a GGUF file."]);
  });

  it("imports a file's bytes, adds it to the library and selects it", async () => {
    const api = fakeMainApi({ importDocument: async () => notes });
    const { store } = await startedStore(api);
    await store.getState().importFiles([new File(["# Hi\n"], "notes.md")]);
    const [request] = api.importDocument.mock.calls[0];
    expect(request.name).toBe("notes.md");
    expect(Array.from(request.bytes)).toEqual([0x23, 0x20, 0x48, 0x69, 0x0a]);
    expect(store.getState().documents).toEqual({ status: "loaded", value: [report, notes] });
    expect(store.getState().selectedDocumentId).toBe(notes.id);
    expect(store.getState().importingFileNames).toEqual([]);
  });

  it("keeps the library and selection when an import fails", async () => {
    const api = fakeMainApi({
      importDocument: async () => Promise.reject({ code: "bad-document", message: "The PDF is damaged." }),
    });
    const { store } = await startedStore(api);
    await store.getState().importFiles([new File(["%PDF-broken"], "broken.pdf")]);
    const state = store.getState();
    expect(state.documents).toEqual({ status: "loaded", value: [report] });
    expect(state.selectedDocumentId).toBe(report.id);
    expect(state.notices.map((n) => [n.title, n.error.message])).toEqual([
      ["Could not import broken.pdf", "The PDF is damaged."],
    ]);
  });

  it("removes a deleted document and clears the selection", async () => {
    const { store, api } = await startedStore();
    await store.getState().deleteDocument(report.id);
    expect(api.deleteDocument).toHaveBeenCalledWith({ documentId: report.id });
    expect(store.getState().documents).toEqual({ status: "loaded", value: [] });
    expect(store.getState().selectedDocumentId).toBeNull();
    expect(store.getState().documentTexts).toEqual({});
  });

  it("keeps a document that could not be deleted", async () => {
    const api = fakeMainApi({ deleteDocument: async () => Promise.reject(notFound) });
    const { store } = await startedStore(api);
    await store.getState().deleteDocument(report.id);
    expect(store.getState().documents).toEqual({ status: "loaded", value: [report] });
    expect(store.getState().notices.map((n) => n.title)).toEqual(["Could not delete the document"]);
  });

  it("asks with the trimmed draft, clears it, and lets Stop reach the request", async () => {
    const { store, api } = await startedStore();
    store.getState().setDraft(report.id, "  What is on page 2?\n");
    await store.getState().ask(report.id);
    expect(api.ask).toHaveBeenCalledWith({ documentId: report.id, question: "What is on page 2?" });
    expect(store.getState().drafts[report.id]).toBe("");
    expect(selectAnswerFor(report.id)(store.getState())).toEqual({
      requestId: "req-1",
      documentId: report.id,
      text: "",
    });
    await store.getState().cancel("req-1");
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "req-1" });
  });

  it("keeps the draft when the question is refused", async () => {
    const api = fakeMainApi({ ask: async () => Promise.reject({ code: "no-model", message: "Load a model first." }) });
    const { store } = await startedStore(api);
    store.getState().setDraft(report.id, "Why?");
    await store.getState().ask(report.id);
    expect(store.getState().drafts[report.id]).toBe("Why?");
    expect(store.getState().askingDocumentIds).toEqual({});
    expect(store.getState().notices.map((n) => n.error.message)).toEqual(["Load a model first."]);
  });

  it("does not send an empty question", async () => {
    const { store, api } = await startedStore();
    store.getState().setDraft(report.id, "   ");
    await store.getState().ask(report.id);
    expect(api.ask).not.toHaveBeenCalled();
  });

  it("merges the stored chat with events that arrived while it loaded", async () => {
    const chat = deferred<{ documentId: string; messages: ReturnType<typeof userMessage>[] }>();
    const api = fakeMainApi({ getChat: () => chat.promise });
    const store = createAppStore(api);
    store.getState().selectDocument(report.id);
    const live = userMessage("m2", "live");
    store.getState().receiveEngineEvent(started("r1", live));
    const stored = userMessage("m1", "stored");
    chat.resolve({ documentId: report.id, messages: [stored] });
    await flush();
    expect(store.getState().chats[report.id]).toEqual({ history: "loaded", messages: [stored, live] });
  });

  it("says nothing more about failed calls while the connection banner explains them", async () => {
    const store = createAppStore(fakeMainApi());
    store.getState().setConnection("lost");
    store.getState().reportError("Could not list the models", closed);
    expect(store.getState().notices).toEqual([]);
    store.getState().setConnection("open");
    store.getState().reportError("Could not list the models", closed);
    expect(store.getState().notices.map((n) => n.error.message)).toEqual(["Not connected to the CompressKV process."]);
  });

  it("ends the answers in progress when the connection is lost, keeping their text", async () => {
    const { store } = await startedStore();
    const question = userMessage("m1", "Why?");
    store.getState().receiveEngineEvent(started("r1", question));
    store.getState().receiveEngineEvent({ type: "answer-token", requestId: "r1", text: "Bec" });
    store.getState().setConnection("lost");
    const state = store.getState();
    expect(state.answers).toEqual({});
    expect(state.chats[report.id].messages.map((m) => [m.role, m.text, m.error?.message])).toEqual([
      ["user", "Why?", undefined],
      ["assistant", "Bec", "Not connected to the CompressKV process."],
    ]);
    expect(state.notices).toEqual([]);
  });

  it("dismisses one notice and keeps the others", async () => {
    const store = createAppStore(fakeMainApi());
    store.getState().reportError("First", { code: "internal", message: "a" });
    store.getState().reportError("Second", { code: "internal", message: "b" });
    store.getState().dismissNotice(1);
    expect(store.getState().notices).toEqual([{ id: 2, title: "Second", error: { code: "internal", message: "b" } }]);
  });
});
