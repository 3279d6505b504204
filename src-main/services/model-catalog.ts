import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";
import { readGgufHeader } from "../engine/gguf-file";
import { describeModel, modelIdForPath, type EngineModelInfo } from "../engine/model-info";

export interface CatalogEntry {
  path: string;
  bundled: boolean;
}

async function ggufFilesIn(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder))
      .filter((name) => name.toLowerCase().endsWith(".gguf"))
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/**
 * The models the app knows: those bundled with it, those in its models folder (downloads), and
 * files the person opened (remembered in models.json). Only these paths can ever be loaded.
 */
export class ModelCatalog {
  constructor(
    private readonly bundledFolder: string | null,
    private readonly modelsFolder: string,
    private readonly openedListPath: string,
    /** Folders of models set up beside the app (the checkout's fetched real models), listed as downloads. */
    private readonly extraFolders: readonly string[] = [],
  ) {}

  private async entries(): Promise<CatalogEntry[]> {
    const bundled = this.bundledFolder ? await ggufFilesIn(this.bundledFolder) : [];
    const folders = [this.modelsFolder, ...this.extraFolders];
    const found = (await Promise.all(folders.map(ggufFilesIn))).flat();
    const opened = await readJson<string[]>(this.openedListPath, []);
    const seen = new Set<string>();
    const entries: CatalogEntry[] = [];
    for (const [paths, isBundled] of [
      [bundled, true],
      [found, false],
      [opened, false],
    ] as const) {
      for (const path of paths) {
        if (seen.has(path)) continue;
        seen.add(path);
        entries.push({ path, bundled: isBundled });
      }
    }
    return entries;
  }

  async find(modelId: string): Promise<CatalogEntry | undefined> {
    return (await this.entries()).find((entry) => modelIdForPath(entry.path) === modelId);
  }

  /** Remembers a file the person picked; validates it is a GGUF first. */
  async remember(path: string): Promise<CatalogEntry> {
    const absolute = resolve(path);
    await readGgufHeader(absolute);
    const opened = await readJson<string[]>(this.openedListPath, []);
    if (!opened.includes(absolute)) await writeJsonAtomic(this.openedListPath, [...opened, absolute]);
    return { path: absolute, bundled: false };
  }

  /** Descriptions of every known model whose file is still readable. */
  async list(): Promise<{ entry: CatalogEntry; info: EngineModelInfo }[]> {
    const models: { entry: CatalogEntry; info: EngineModelInfo }[] = [];
    for (const entry of await this.entries()) {
      const info = await describeModelFile(entry).catch(() => null);
      if (info) models.push({ entry, info });
    }
    return models;
  }
}

export async function describeModelFile(entry: CatalogEntry): Promise<EngineModelInfo> {
  const { info, sizeBytes } = await readGgufHeader(entry.path);
  return describeModel(entry.path, info, sizeBytes, entry.bundled);
}
