import { describe, expect, it } from "vitest";
import { pageAt } from "../../src-main/documents/document-text";
import { readDocument } from "../../src-main/documents/read-document";
import { makeNumberedPdf, makePdf } from "../fixtures/pdf-writer";

describe("reading documents", () => {
  it("extracts each PDF page's text with its page number", async () => {
    const document = await readDocument("report.pdf", makeNumberedPdf(5, 3));
    expect(document.kind).toBe("pdf");
    expect(document.pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
    for (const range of document.pages) {
      const text = document.text.slice(range.start, range.end);
      expect(text).toContain(`Page ${range.page} line 1: the harbour master logged ship ${range.page * 100 + 1}.`);
      expect(text).toContain(`Page ${range.page} line 3:`);
      expect(text).not.toContain(`Page ${range.page + 1} line`);
    }
    const offset = document.text.indexOf("ship 402");
    expect(pageAt(document.pages, offset)).toBe(4);
  });

  it("keeps PDF string escapes intact", async () => {
    const document = await readDocument("escapes.pdf", makePdf([["A (parenthesised) note \\ with a backslash"]]));
    expect(document.text).toBe("A (parenthesised) note \\ with a backslash");
  });

  it("rejects a corrupt PDF with a clear message", async () => {
    const bytes = makeNumberedPdf(3).slice(0, 200);
    bytes[10] = 0;
    await expect(readDocument("broken.pdf", new Uint8Array(Buffer.from("not a pdf at all")))).rejects.toMatchObject({
      code: "bad-document",
      message: expect.stringMatching(/not a readable PDF/),
    });
    await expect(readDocument("truncated.pdf", bytes)).rejects.toMatchObject({
      code: expect.stringMatching(/document/),
    });
  });

  it("reads text and markdown, one page each", async () => {
    const document = await readDocument("notes.md", new TextEncoder().encode("# Title\r\n\r\nBody text."));
    expect(document).toEqual({
      kind: "markdown",
      text: "# Title\n\nBody text.",
      pages: [{ page: 1, start: 0, end: 19 }],
    });
  });

  it("rejects binary data named .txt, empty files and unknown kinds", async () => {
    await expect(readDocument("image.txt", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))).rejects.toMatchObject({
      code: "bad-document",
      message: "image.txt looks like a binary file, not text.",
    });
    await expect(readDocument("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).rejects.toMatchObject({
      code: "bad-document",
    });
    await expect(readDocument("empty.txt", new Uint8Array())).rejects.toMatchObject({ code: "empty-document" });
    await expect(readDocument("blank.pdf", makePdf([[], []]))).rejects.toMatchObject({ code: "empty-document" });
    await expect(readDocument("slides.pptx", new Uint8Array([1]))).rejects.toMatchObject({
      code: "unsupported-document",
    });
  });
});
