import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { AppError } from "../api/app-error";
import { joinPages, type ExtractedText } from "./document-text";

function pageText(items: TextItem[]): string {
  let text = "";
  for (const item of items) {
    text += item.str;
    if (item.hasEOL) text += "\n";
    else if (item.str && !item.str.endsWith(" ")) text += " ";
  }
  return text.replace(/[ \t]+\n/g, "\n").replace(/[ \t]{2,}/g, " ").trim();
}

/** Extracts the text of every page of a PDF, keeping page numbers. */
export async function extractPdfText(bytes: Uint8Array): Promise<ExtractedText> {
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "PasswordException") {
      throw new AppError("bad-document", "This PDF is encrypted and needs a password to open; it can't be read.");
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError("bad-document", `This file is not a readable PDF (${detail}).`);
  }
  try {
    const texts: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      texts.push(pageText(content.items.filter((item): item is TextItem => "str" in item)));
      page.cleanup();
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
