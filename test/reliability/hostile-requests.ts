import { MAX_DOCUMENT_BYTES, MAX_QUESTION_CHARACTERS } from "../../src-main/api/contract";
import type { AppErrorCode } from "../../src-main/api/app-error";

/** A request the main process must refuse, and the error code it must refuse it with. */
export interface HostileRequest {
  method: string;
  args: unknown[];
  code: AppErrorCode;
  /** Can't cross a JSON channel (e.g. a 512 MiB buffer, NaN): sent only to validatedApi directly. */
  directOnly?: boolean;
}

const bytes = new Uint8Array([37, 80, 68, 70]);
const invalid = (method: string, ...args: unknown[]): HostileRequest => ({ method, args, code: "invalid-request" });
const direct = (method: string, ...args: unknown[]): HostileRequest => ({
  ...invalid(method, ...args),
  directOnly: true,
});

/** Ids that look like paths, encodings of paths, or are too long: the id schema admits none of them. */
export const PATH_LIKE_IDS = [
  "",
  ".",
  "..",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "/etc/passwd",
  "C:\\Windows\\System32",
  "a/b",
  "%2e%2e%2f%2e%2e",
  "abc\u0000def",
  "abc def",
  "file:///etc/passwd",
  "a".repeat(129),
];

const idMethods = [
  ["loadModel", "modelId"],
  ["getModelProfile", "modelId"],
  ["getDocumentText", "documentId"],
  ["deleteDocument", "documentId"],
  ["getChat", "documentId"],
  ["getTokenMap", "documentId"],
  ["cancel", "requestId"],
  ["downloadModel", "recommendedId"],
] as const;

const ask = (fields: Record<string, unknown>) =>
  invalid("ask", { documentId: "doc", question: "Which ship?", ...fields });
const settings = (compression: unknown) => invalid("updateSettings", { compression });

export const HOSTILE_REQUESTS: HostileRequest[] = [
  // Every id-taking method with every path-like id.
  ...idMethods.flatMap(([method, field]) => PATH_LIKE_IDS.map((id) => invalid(method, { [field]: id }))),
  // Wrong types and shapes.
  invalid("getStatus", 1),
  invalid("listModels", null),
  invalid("listDocuments", {}, {}),
  invalid("loadModel"),
  invalid("loadModel", null),
  invalid("loadModel", "0123456789abcdef"),
  invalid("loadModel", { modelId: 5 }),
  invalid("loadModel", { modelId: ["abc"] }),
  invalid("loadModel", { modelId: "abc", path: "/etc/passwd" }),
  invalid("loadModel", [{ modelId: "abc" }]),
  invalid("getChat", { documentId: null }),
  invalid("getChat", { documentId: { $ne: "" } }),
  invalid("calibrateModel", { modelId: "abc", useDocumentId: "../../secrets" }),
  invalid("calibrateModel", { modelId: "abc", haystackPath: "/etc/passwd" }),
  invalid("downloadModel", { recommendedId: "abc", uri: "https://example.com/evil.gguf" }),
  // Document import: bytes only, bounded.
  invalid("importDocument", { name: "a.pdf" }),
  invalid("importDocument", { name: "a.pdf", bytes: "JVBERi0xLjQ=" }),
  invalid("importDocument", { name: "a.pdf", bytes: [37, 80, 68, 70] }),
  invalid("importDocument", { name: "a.pdf", bytes: { 0: 37, length: 1 } }),
  invalid("importDocument", { name: "", bytes }),
  invalid("importDocument", { name: `${"x".repeat(513)}.pdf`, bytes }),
  invalid("importDocument", { name: 5, bytes }),
  invalid("importDocument", { name: "a.pdf", bytes, path: "/etc/passwd" }),
  direct("importDocument", { name: "huge.pdf", bytes: new Uint8Array(MAX_DOCUMENT_BYTES + 1) }),
  // Questions: empty, blank, oversize, wrong types, out-of-range numbers, unknown settings.
  ask({ question: "" }),
  ask({ question: "   \n\t " }),
  ask({ question: 42 }),
  ask({ question: "q".repeat(MAX_QUESTION_CHARACTERS + 1) }),
  ask({ maxTokens: 0 }),
  ask({ maxTokens: -1 }),
  ask({ maxTokens: 8193 }),
  ask({ maxTokens: 1.5 }),
  ask({ maxTokens: "10" }),
  ask({ maxTokens: 1e308 }),
  direct("ask", { documentId: "doc", question: "q", maxTokens: Number.NaN }),
  direct("ask", { documentId: "doc", question: "q", maxTokens: Number.POSITIVE_INFINITY }),
  ask({ saveToChat: "yes" }),
  ask({ compression: { budget: 1e12 } }),
  ask({ compression: { method: "magic" } }),
  ask({ compression: { pooling: { kind: "avg", kernel: 4 } } }),
  ask({ compression: { pooling: { kind: "median", kernel: 5 } } }),
  ask({ compression: { seed: -1 } }),
  ask({ compression: { budget: "64" } }),
  ask({ compression: { evil: true } }),
  ask({ compression: null }),
  ask({ extra: 1 }),
  invalid("ask", { documentId: "doc", question: "q" }, "second argument"),
  // Settings: every field out of range once.
  settings({ budget: 3 }),
  settings({ budget: 16_000_001 }),
  settings({ window: 0 }),
  settings({ window: 1025 }),
  settings({ sinks: -1 }),
  settings({ headsPerLayer: 2000 }),
  settings({ chunkTokens: 1_000_000_000 }),
  settings({ plan: "none" }),
  settings({ questionAware: 1 }),
  settings(null),
  invalid("updateSettings", {}),
  invalid("updateSettings", { compression: {}, theme: "dark" }),
  // Domain errors on well-formed requests.
  { method: "loadModel", args: [{ modelId: "0123456789abcdef" }], code: "model-not-found" },
  { method: "getModelProfile", args: [{ modelId: "0123456789abcdef" }], code: "model-not-found" },
  { method: "getDocumentText", args: [{ documentId: "missing" }], code: "document-not-found" },
  { method: "getDocumentText", args: [{ documentId: "__proto__" }], code: "document-not-found" },
  { method: "getDocumentText", args: [{ documentId: "constructor" }], code: "document-not-found" },
  { method: "deleteDocument", args: [{ documentId: "toString" }], code: "document-not-found" },
  { method: "ask", args: [{ documentId: "missing", question: "q" }], code: "document-not-found" },
  { method: "downloadModel", args: [{ recommendedId: "not-a-recommended-model" }], code: "model-not-found" },
  { method: "calibrateModel", args: [{ modelId: "0123456789abcdef" }], code: "no-model" },
  { method: "importDocument", args: [{ name: "program.exe", bytes }], code: "unsupported-document" },
  { method: "importDocument", args: [{ name: "broken.pdf", bytes: new Uint8Array([1, 2, 3]) }], code: "bad-document" },
];

/** Names that are not contract methods: prototype members, the service's own members, birpc's. */
export const NOT_METHODS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
  "__lookupSetter__",
  "then",
  "dispose",
  "subscribe",
  "emit",
  "answer",
  "engine",
  "profileOf",
  "$close",
  "$call",
  "$functions",
  "onEngineEvent",
  "",
];
