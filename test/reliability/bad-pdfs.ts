import { deflateSync } from "node:zlib";
import { makePdf } from "../fixtures/pdf-writer";

/**
 * Damaged and hostile PDFs made from the test writer's valid ones by editing their text: the
 * writer puts the trailer last and each page's content stream right before the cross-reference
 * table, so both can be replaced while every recorded object offset stays right.
 */
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

/** Re-points startxref at the cross-reference table (after an edit moved it). */
function withStartXref(pdf: string): string {
  return pdf.replace(/startxref\n\d+/, `startxref\n${pdf.lastIndexOf("xref\n0 ")}`);
}

/** A one-page PDF whose page draws `content` (raw content-stream operators), with `streamDictionary` entries. */
export function pdfWithContent(content: string, streamDictionary = ""): Uint8Array {
  const pdf = latin1(makePdf([["placeholder"]])).replace(
    /<< \/Length \d+ >>\nstream\n[\s\S]*?\nendstream/,
    `<< /Length ${Buffer.byteLength(content, "latin1")}${streamDictionary} >>\nstream\n${content}\nendstream`,
  );
  return bytesOf(withStartXref(pdf));
}

/** A page showing only a 2x2 grey image: no text layer at all. */
export function imageOnlyPdf(): Uint8Array {
  return pdfWithContent("q 200 0 0 200 100 400 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\x80\x80\xff EI Q");
}

/** A page whose content is a Flate stream that inflates to `inflatedBytes` of text-showing operators. */
export function inflatingPdf(inflatedBytes: number): Uint8Array {
  const line = "BT /F1 11 Tf 56 700 Td (All work and no play makes a dull document.) Tj ET\n";
  const content = deflateSync(Buffer.from(line.repeat(Math.ceil(inflatedBytes / line.length))), { level: 9 });
  return pdfWithContent(content.toString("latin1"), " /Filter /FlateDecode");
}

/**
 * Standard security handler (revision 2, RC4-40) with an owner and user key that the empty password
 * does not open: pdf.js must ask for a password.
 */
export function encryptedPdf(pages: string[][]): Uint8Array {
  const key = (fill: string) => `<${fill.repeat(64)}>`;
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /O ${key("a")} /U ${key("5")} /P -4 >> /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]`;
  return bytesOf(latin1(makePdf(pages)).replace(/trailer\n<< /, `trailer\n<< ${encrypt} `));
}

/**
 * A page tree whose one Pages node lists the same page `count` times: a few KB that claims
 * `count` pages.
 */
export function repeatedPagePdf(count: number): Uint8Array {
  const pdf = latin1(makePdf([["The same page, again."]]));
  const kids = Array.from({ length: count }, () => "4 0 R").join(" ");
  const edited = pdf.replace(/\/Kids \[4 0 R\] \/Count 1/, `/Kids [${kids}] /Count ${count}`);
  // Object 2 grew: every later object moved, so the table is rebuilt from the objects' positions.
  const offsets = [...edited.matchAll(/^(\d+) 0 obj$/gm)].map((m) => [Number(m[1]), m.index!] as const);
  const table = offsets.map(([, at]) => `${String(at).padStart(10, "0")} 00000 n \n`).join("");
  const xrefAt = edited.indexOf("xref\n0 ");
  const rebuilt =
    edited.slice(0, xrefAt) +
    edited.slice(xrefAt).replace(/(xref\n0 \d+\n0000000000 65535 f \n)(\d{10} 00000 n \n)+/, `$1${table}`);
  return bytesOf(withStartXref(rebuilt));
}
