import { vi } from "vitest";
import type { MainApi } from "../../../src-main/api/contract";
import { cpuStatus, report, reportText, tinyModel } from "./sample-data";

/** A MainApi whose every method is a vi.fn with a sensible answer; overrides become their implementations. */
export function fakeMainApi(overrides: Partial<MainApi> = {}) {
  const api = {
    getStatus: vi.fn<MainApi["getStatus"]>(async () => cpuStatus),
    listModels: vi.fn<MainApi["listModels"]>(async () => [tinyModel]),
    chooseModelFile: vi.fn<MainApi["chooseModelFile"]>(async () => null),
    loadModel: vi.fn<MainApi["loadModel"]>(async () => tinyModel),
    listDocuments: vi.fn<MainApi["listDocuments"]>(async () => [report]),
    chooseDocumentFile: vi.fn<MainApi["chooseDocumentFile"]>(async () => null),
    importDocument: vi.fn<MainApi["importDocument"]>(async () => report),
    getDocumentText: vi.fn<MainApi["getDocumentText"]>(async () => reportText),
    deleteDocument: vi.fn<MainApi["deleteDocument"]>(async () => undefined),
    getChat: vi.fn<MainApi["getChat"]>(async ({ documentId }) => ({ documentId, messages: [] })),
    ask: vi.fn<MainApi["ask"]>(async () => ({ requestId: "req-1" })),
    cancel: vi.fn<MainApi["cancel"]>(async () => undefined),
  } satisfies MainApi;
  for (const [method, implementation] of Object.entries(overrides)) {
    (api[method as keyof MainApi] as { mockImplementation(f: unknown): void }).mockImplementation(implementation);
  }
  return api;
}

/** A promise the test settles by hand, to hold a view in its loading state. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
