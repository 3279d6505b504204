import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextContent, TextItem } from "pdfjs-dist/types/src/display/api";
import { AppError } from "../errors/app-error";
import { joinPages, type ExtractedText } from "./document-text";

/**
 * Bounds on the work one PDF may cause. A few KB can claim a million pages (one page listed over
 * and over) or inflate to gigabytes of text; these stop such files with a clear message.
 */
export interface PdfLimits {
  maxPages: number;
  maxCharacters: number;
}

/** Ten times the 500-page documents the app is made for, in pages and (dense) text. */
export const PDF_LIMITS: PdfLimits = { maxPages: 5_000, maxCharacters: 32 * 1024 * 1024 };

function pageText(items: TextItem[]): string {
  let text = "";
  for (const item of items) {
    text += item.str;
    if (item.hasEOL) text += "\n";
    else if (item.str && !item.str.endsWith(" ")) text += " ";
  }
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

function tooMuchText(limits: PdfLimits): AppError {
  return new AppError(
    "document-too-long",
    `This PDF holds more than ${limits.maxCharacters.toLocaleString("en")} characters of text, more than the app reads.`,
  );
}

/**
 * A page's text items, read as pdf.js streams them so that a page inflating to endless text is
 * stopped once the document's text passes `budget` characters.
 */
async function pageItems(page: PDFPageProxy, budget: number, limits: PdfLimits): Promise<TextItem[]> {
  const reader = (page.streamTextContent() as ReadableStream<TextContent>).getReader();
  const items: TextItem[] = [];
  let characters = 0;
  // No reader.cancel() on the way out: pdf.js then enqueues into the closed stream and throws
  // outside any promise; the caller's task.destroy() stops the stream instead.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return items;
    for (const item of value.items) {
      if (!("str" in item)) continue;
      items.push(item);
      characters += item.str.length + 1;
    }
    if (characters > budget) throw tooMuchText(limits);
  }
}

/** Extracts the text of every page of a PDF, keeping page numbers. */
export async function extractPdfText(bytes: Uint8Array, limits: PdfLimits = PDF_LIMITS): Promise<ExtractedText> {
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    const name = (error as { name?: string }).name;
    if (name === "PasswordException") {
      throw new AppError("bad-document", "This PDF is encrypted and needs a password to open; it can't be read.");
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError("bad-document", `This file is not a readable PDF (${detail}).`);
  }
  try {
    if (pdf.numPages > limits.maxPages) {
      throw new AppError(
        "document-too-long",
        `This PDF has ${pdf.numPages.toLocaleString("en")} pages; the app reads PDFs of up to ${limits.maxPages.toLocaleString("en")} pages.`,
      );
    }
    const texts: string[] = [];
    let characters = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const text = pageText(await pageItems(page, limits.maxCharacters - characters, limits));
      page.cleanup();
      characters += text.length + 2;
      if (characters > limits.maxCharacters) throw tooMuchText(limits);
      texts.push(text);
    }
    return joinPages(texts);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError("bad-document", `This PDF is damaged and its text could not be read (${detail}).`);
  } finally {
    await task.destroy();
  }
}
