import { AppError } from "../errors/app-error";
import { joinPages, type ExtractedText } from "./document-text";

/** Decodes a .txt/.md file as UTF-8 (BOM allowed), refusing binary content. */
export function extractPlainText(bytes: Uint8Array, fileName: string): ExtractedText {
  if (bytes.includes(0)) {
    throw new AppError("bad-document", `${fileName} looks like a binary file, not text.`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError("bad-document", `${fileName} is not UTF-8 text.`);
  }
  return joinPages([text.replace(/\r\n?/g, "\n")]);
}
