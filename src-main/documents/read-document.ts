import { extname } from "node:path";
import { AppError } from "../errors/app-error";
import type { DocumentKind } from "./document-types";
import type { ExtractedText } from "./document-text";
import { extractPdfText } from "./pdf-text";
import { extractPlainText } from "./plain-text";

const KINDS: Record<string, DocumentKind> = {
  ".pdf": "pdf",
  ".txt": "text",
  ".md": "markdown",
  ".markdown": "markdown",
};

export function documentKind(fileName: string): DocumentKind {
  const kind = KINDS[extname(fileName).toLowerCase()];
  if (!kind) {
    throw new AppError("unsupported-document", `${fileName}: only PDF, .txt and .md documents can be opened.`);
  }
  return kind;
}

export interface ReadDocument extends ExtractedText {
  kind: DocumentKind;
}

/** Reads a document's text and page map from its bytes; the kind comes from the file name. */
export async function readDocument(fileName: string, bytes: Uint8Array): Promise<ReadDocument> {
  const kind = documentKind(fileName);
  const extracted = kind === "pdf" ? await extractPdfText(bytes) : extractPlainText(bytes, fileName);
  if (extracted.text.trim().length === 0) {
    throw new AppError(
      "empty-document",
      kind === "pdf"
        ? `${fileName} has no text layer (it may be scanned images); there is nothing to read.`
        : `${fileName} is empty.`,
    );
  }
  return { kind, ...extracted };
}
