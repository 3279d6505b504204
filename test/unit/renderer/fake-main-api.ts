import { vi } from "vitest";
import type { MainApi } from "../../../src-main/api/contract";
import { cpuStatus, report, reportText, tinyModel } from "./sample-data";

/** A MainApi whose every method is a vi.fn with a sensible answer; tests override what they need. */
export function fakeMainApi(overrides: Partial<MainApi> = {}) {
  const api = {
    getStatus: vi.fn(async () => cpuStatus),
    listModels: vi.fn(async () => [tinyModel]),
    chooseModelFile: vi.fn(async () => null),
    loadModel: vi.fn(async () => tinyModel),
    listDocuments: vi.fn(async () => [report]),
    chooseDocumentFile: vi.fn(async () => null),
    importDocument: vi.fn(async () => report),
    getDocumentText: vi.fn(async () => reportText),
    deleteDocument: vi.fn(async () => undefined),
    getChat: vi.fn(async ({ documentId }: { documentId: string }) => ({ documentId, messages: [] })),
    ask: vi.fn(async () => ({ requestId: "req-1" })),
    cancel: vi.fn(async () => undefined),
  } satisfies MainApi;
  return Object.assign(api, overrides) as typeof api;
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
