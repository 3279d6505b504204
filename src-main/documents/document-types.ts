/** What the documents produce: kinds, the library entry and the text with its page map. */
export type DocumentKind = "pdf" | "text" | "markdown";

export interface DocumentInfo {
  id: string;
  name: string;
  kind: DocumentKind;
  pages: number;
  characters: number;
  sizeBytes: number;
  addedAt: string;
}

/** A page's character range in the document text: [start, end). */
export interface PageRange {
  page: number;
  start: number;
  end: number;
}

export interface DocumentText {
  documentId: string;
  text: string;
  pages: PageRange[];
}
