import { parentPort } from "node:worker_threads";
import { AppError } from "../../src-main/api/app-error";
import { readDocument } from "../../src-main/documents/read-document";

/** What reading one input gave: text with its page count, or an error and whether it was an AppError. */
export type FuzzOutcome =
  | { id: number; kind: "text"; pages: number; characters: number }
  | { id: number; kind: "app-error"; code: string; message: string }
  | { id: number; kind: "other-error"; message: string };

// Reads PDFs posted by the fuzz test, one at a time, in a thread the test can terminate if one hangs.
parentPort!.on("message", async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  let outcome: FuzzOutcome;
  try {
    const document = await readDocument("fuzz.pdf", bytes);
    outcome = { id, kind: "text", pages: document.pages.length, characters: document.text.length };
  } catch (error) {
    outcome =
      error instanceof AppError
        ? { id, kind: "app-error", code: error.code, message: error.message }
        : { id, kind: "other-error", message: String(error) };
  }
  parentPort!.postMessage(outcome);
});
