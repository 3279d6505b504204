import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src-main/api/app-error";
import { DocumentLibrary } from "../../src-main/documents/document-library";
import { extractPdfText } from "../../src-main/documents/pdf-text";
import { readDocument } from "../../src-main/documents/read-document";
import { makeNumberedPdf, makePdf } from "../fixtures/pdf-writer";
import { SeededRandom } from "../models/llama-model";
import { encryptedPdf, imageOnlyPdf, inflatingPdf, repeatedPagePdf } from "./bad-pdfs";
import { mutate, readInWorker } from "./pdf-fuzz";

let dir: string;
let library: DocumentLibrary;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-bad-documents-"));
  library = new DocumentLibrary(join(dir, "documents"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function randomBytes(length: number, seed: number): Uint8Array {
  const random = new SeededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random.uniform() * 256));
}

const ascii = (text: string) => new TextEncoder().encode(text);

/** A file that must be refused: its name, bytes, the error code and words the message must hold. */
const REFUSED: { name: string; bytes: Uint8Array; code: string; says: RegExp }[] = [
  { name: "noise.pdf", bytes: randomBytes(64 * 1024, 1), code: "bad-document", says: /not a readable PDF/ },
  {
    name: "header-only.pdf",
    bytes: ascii("%PDF-1.7\n%garbage follows\n\x01\x02\x03"),
    code: "bad-document",
    says: /not a readable PDF/,
  },
  { name: "zero.pdf", bytes: new Uint8Array(0), code: "bad-document", says: /not a readable PDF/ },
  {
    name: "locked.pdf",
    bytes: encryptedPdf([["The secret is 42."]]),
    code: "bad-document",
    says: /encrypted.*password/,
  },
  { name: "blank.pdf", bytes: makePdf([[]]), code: "empty-document", says: /no text layer/ },
  { name: "scan.pdf", bytes: imageOnlyPdf(), code: "empty-document", says: /no text layer/ },
  {
    name: "claims-20000-pages.pdf",
    bytes: repeatedPagePdf(20_000),
    code: "document-too-long",
    says: /20,000 pages.*5,000 pages/,
  },
  {
    name: "photo.txt",
    bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    code: "bad-document",
    says: /binary file/,
  },
  { name: "random.txt", bytes: randomBytes(4096, 2), code: "bad-document", says: /binary file|not UTF-8/ },
  {
    name: "latin1.txt",
    bytes: Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    code: "bad-document",
    says: /not UTF-8/,
  },
  { name: "document.pdf.txt", bytes: makeNumberedPdf(1), code: "bad-document", says: /not UTF-8/ },
  { name: "empty.txt", bytes: new Uint8Array(0), code: "empty-document", says: /is empty/ },
  { name: "blank.md", bytes: ascii(" \n\t\r\n  "), code: "empty-document", says: /is empty/ },
  { name: "program.exe", bytes: ascii("MZ"), code: "unsupported-document", says: /only PDF, \.txt and \.md/ },
];

describe("bad documents get a clear message and leave the library unchanged", () => {
  it(`refuses ${REFUSED.length} bad files, each with its reason`, async () => {
    for (const { name, bytes, code, says } of REFUSED) {
      const refusal = await library.import(name, bytes).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal, name).toBeInstanceOf(AppError);
      expect((refusal as AppError).code, name).toBe(code);
      expect((refusal as AppError).message, name).toMatch(says);
    }
    expect(await library.list()).toEqual([]);
  });

  it("reads a truncated PDF's surviving pages or refuses it (6 cut points)", async () => {
    const whole = makeNumberedPdf(3);
    const pageTexts = (await readDocument("whole.pdf", whole)).text.split("\n\n");
    for (const fraction of [0.005, 0.25, 0.5, 0.75, 0.95, 0.999]) {
      const cut = whole.subarray(0, Math.floor(whole.length * fraction));
      const read = await readDocument("cut.pdf", cut).catch((error: unknown) => error);
      if (read instanceof AppError) {
        expect(["bad-document", "empty-document"], String(fraction)).toContain(read.code);
      } else {
        // What pdf.js recovers must be pages of the original, never invented text.
        const pages = (read as { text: string }).text.split("\n\n").filter((text) => text.length > 0);
        for (const page of pages) expect(pageTexts, String(fraction)).toContain(page);
      }
    }
  });

  it("stops a page that inflates to more text than the limit, mid-page (2 MB of text from a stream under 20 KB)", async () => {
    const bomb = inflatingPdf(2_000_000);
    expect(bomb.length).toBeLessThan(20_000);
    await expect(extractPdfText(bomb, { maxPages: 10, maxCharacters: 100_000 })).rejects.toMatchObject({
      code: "document-too-long",
      message: expect.stringMatching(/more than 100,000 characters/),
    });
    // Within the limit the same kind of page reads.
    const small = await extractPdfText(inflatingPdf(20_000), { maxPages: 10, maxCharacters: 100_000 });
    expect(small.text).toMatch(/^All work and no play makes a dull document\./);
  });

  it("reads a 2000-page PDF with every page in order (time and memory printed)", async () => {
    const bytes = makeNumberedPdf(2000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const document = await readDocument("long.pdf", bytes);
    const seconds = (performance.now() - started) / 1000;
    expect(document.pages).toHaveLength(2000);
    const pageText = (page: number) =>
      document.text.slice(document.pages[page - 1].start, document.pages[page - 1].end);
    expect(pageText(1)).toMatch(/^Page 1 line 1: the harbour master logged ship 101\./);
    expect(pageText(2000)).toMatch(/Page 2000 line 6: the harbour master logged ship 200006\.$/);
    console.log(
      `2000-page PDF: ${(bytes.length / 2 ** 20).toFixed(1)} MiB, ${document.text.length} characters, ` +
        `${seconds.toFixed(1)} s, RSS +${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
    );
  });

  const MUTATIONS = 500;
  const CASE_TIMEOUT_MS = 30_000;

  it(`fuzz: ${MUTATIONS} seeded mutations of 4 valid PDFs each extract or fail with an AppError; no hang, no crash`, async () => {
    const sources = [
      makeNumberedPdf(3),
      inflatingPdf(4_000),
      imageOnlyPdf(),
      makePdf([["One (escaped) line \\ here."], ["Second page."]]),
    ];
    const random = new SeededRandom(20_260_101);
    const inputs = Array.from({ length: MUTATIONS }, (_, i) => mutate(sources[i % sources.length], random));
    const run = await readInWorker(inputs, CASE_TIMEOUT_MS);
    expect(run.hangs).toEqual([]);
    expect(run.crashes).toEqual([]);
    expect(run.outcomes).toHaveLength(MUTATIONS);
    const otherErrors = run.outcomes.filter((o) => o.kind === "other-error");
    expect(otherErrors).toEqual([]);
    const codes = new Set(run.outcomes.flatMap((o) => (o.kind === "app-error" ? [o.code] : [])));
    for (const code of codes) expect(["bad-document", "empty-document", "document-too-long"]).toContain(code);
    const read = run.outcomes.filter((o) => o.kind === "text").length;
    console.log(
      `PDF fuzz: ${MUTATIONS} mutations, ${read} read, ${MUTATIONS - read} refused (${[...codes].join(", ")}), 0 hangs, 0 crashes`,
    );
  }, 600_000);
});
