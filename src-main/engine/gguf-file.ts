import { open } from "node:fs/promises";
import { basename } from "node:path";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { AppError } from "../errors/app-error";
import { GgufLayoutError, readGgufLayout } from "./gguf-layout";

/** Headers are a few MB even with large vocabularies; more than this is not a model we can read. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

/** Checks that `path` is a sound GGUF file and returns its header, with a clear error otherwise. */
export async function readGgufHeader(path: string): Promise<{ info: GgufFileInfo; sizeBytes: number }> {
  const name = basename(path);
  let sizeBytes: number;
  let header: Uint8Array;
  try {
    const file = await open(path, "r");
    try {
      sizeBytes = (await file.stat()).size;
      header = new Uint8Array(Math.min(sizeBytes, MAX_HEADER_BYTES));
      await file.read(header, 0, header.length, 0);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new AppError("model-not-found", `${name} can't be read: ${(error as Error).message}`);
  }
  if (Buffer.from(header.subarray(0, 4)).toString("latin1") !== "GGUF") {
    throw new AppError("not-gguf", `${name} is not a GGUF model file. Open a .gguf file (llama.cpp format).`);
  }
  try {
    readGgufLayout(header, sizeBytes);
  } catch (error) {
    if (!(error instanceof GgufLayoutError)) throw error;
    throw new AppError("model-load-failed", `${name} is a damaged GGUF file: ${error.message}.`);
  }
  try {
    const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
    return { info, sizeBytes };
  } catch (error) {
    throw new AppError(
      "model-load-failed",
      `${name} is a damaged or unsupported GGUF file (${(error as Error).message}).`,
    );
  }
}
