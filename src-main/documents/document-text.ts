import type { PageRange } from "./document-types";

/** A document's text with the character range of each page (text files are one page). */
export interface ExtractedText {
  text: string;
  pages: PageRange[];
}

/** Joins page texts with a blank line between pages, recording where each page sits. */
export function joinPages(pageTexts: string[]): ExtractedText {
  const pages: PageRange[] = [];
  let text = "";
  pageTexts.forEach((pageText, index) => {
    if (index > 0) text += "\n\n";
    const start = text.length;
    text += pageText;
    pages.push({ page: index + 1, start, end: text.length });
  });
  return { text, pages };
}

/** The page holding character `offset` (binary search over sorted page ranges); gaps belong to the page before. */
export function pageAt(pages: PageRange[], offset: number): number {
  let low = 0;
  let high = pages.length - 1;
  let found = pages[0]?.page ?? 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (pages[mid].start <= offset) {
      found = pages[mid].page;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
