import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { AppError } from "../errors/app-error";
import type { DocumentInfo, DocumentText } from "./document-types";
import { readJson, writeFileAtomic, writeJsonAtomic } from "../storage/atomic-file";
import { readDocument } from "./read-document";

const DOCUMENT_ID = /^[0-9a-f]{24}$/;

/**
 * The documents a person has opened, kept under `<dataDir>/documents/<id>/`: the original file,
 * its extracted text with the page map, and its description. The id is derived from the content,
 * so opening the same file twice finds the same entry.
 */
export class DocumentLibrary {
  constructor(private readonly root: string) {}

  /** Ids are content hashes; anything else (a path, "..") names no folder of the library. */
  private folder(id: string): string {
    if (!DOCUMENT_ID.test(id)) throw new AppError("document-not-found", "That document is no longer in the library.");
    return join(this.root, id);
  }

  async import(fileName: string, bytes: Uint8Array): Promise<DocumentInfo> {
    const document = await readDocument(fileName, bytes);
    const id = createHash("sha256").update(bytes).digest("hex").slice(0, 24);
    const info: DocumentInfo = {
      id,
      name: fileName,
      kind: document.kind,
      pages: document.pages.length,
      characters: document.text.length,
      sizeBytes: bytes.byteLength,
      addedAt: new Date().toISOString(),
    };
    const folder = this.folder(id);
    await writeFileAtomic(join(folder, `source${extname(fileName).toLowerCase()}`), bytes);
    const text: DocumentText = { documentId: id, text: document.text, pages: document.pages };
    await writeJsonAtomic(join(folder, "text.json"), text);
    // Written last: an entry counts as present only once its text is on disk.
    await writeJsonAtomic(join(folder, "document.json"), info);
    return info;
  }

  async list(): Promise<DocumentInfo[]> {
    let ids: string[];
    try {
      ids = await readdir(this.root);
    } catch {
      return [];
    }
    const infos: DocumentInfo[] = [];
    for (const id of ids.filter((name) => DOCUMENT_ID.test(name))) {
      const info = await readJson<DocumentInfo | null>(join(this.folder(id), "document.json"), null).catch(() => null);
      if (info) infos.push(info);
    }
    return infos.sort((a, b) => b.addedAt.localeCompare(a.addedAt));
  }

  async info(id: string): Promise<DocumentInfo> {
    const info = await readJson<DocumentInfo | null>(join(this.folder(id), "document.json"), null);
    if (!info) throw new AppError("document-not-found", "That document is no longer in the library.");
    return info;
  }

  async text(id: string): Promise<DocumentText> {
    await this.info(id);
    return JSON.parse(await readFile(join(this.folder(id), "text.json"), "utf8")) as DocumentText;
  }

  async remove(id: string): Promise<void> {
    await this.info(id);
    await rm(this.folder(id), { recursive: true, force: true });
  }
}
