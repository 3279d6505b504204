import { vi } from "vitest";
import type { MainApi } from "../../../src-main/api/contract";
import { DEFAULT_COMPRESSION } from "../../../src-main/api/compression-settings";
import { cpuStatus, report, reportText, reportTokenMap, tinyModel } from "./sample-data";

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
    getSettings: vi.fn<MainApi["getSettings"]>(async () => ({ compression: DEFAULT_COMPRESSION })),
    updateSettings: vi.fn<MainApi["updateSettings"]>(async ({ compression }) => ({
      compression: { ...DEFAULT_COMPRESSION, ...compression },
    })),
    getTokenMap: vi.fn<MainApi["getTokenMap"]>(async ({ documentId }) => ({ ...reportTokenMap, documentId })),
    getModelProfile: vi.fn<MainApi["getModelProfile"]>(async () => null),
    calibrateModel: vi.fn<MainApi["calibrateModel"]>(async () => ({ requestId: "cal-1" })),
    listRecommendedModels: vi.fn<MainApi["listRecommendedModels"]>(async () => []),
    importSampleDocument: vi.fn<MainApi["importSampleDocument"]>(async () => report),
    listDownloads: vi.fn<MainApi["listDownloads"]>(async () => []),
    downloadModel: vi.fn<MainApi["downloadModel"]>(async () => ({ requestId: "dl-1" })),
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
