import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ModelInfo } from "../api/contract";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";
import { readGgufHeader } from "../engine/gguf-file";
import { kvBytesPerToken, modelShape } from "../engine/model-shape";
import { modelIdForPath } from "../engine/loaded-model";
import { basename } from "node:path";

export interface CatalogEntry {
  path: string;
  bundled: boolean;
}

async function ggufFilesIn(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.toLowerCase().endsWith(".gguf")).map((name) => join(folder, name));
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
  ) {}

  private async entries(): Promise<CatalogEntry[]> {
    const bundled = this.bundledFolder ? await ggufFilesIn(this.bundledFolder) : [];
    const downloaded = await ggufFilesIn(this.modelsFolder);
    const opened = await readJson<string[]>(this.openedListPath, []);
    const seen = new Set<string>();
    const entries: CatalogEntry[] = [];
    for (const [paths, isBundled] of [[bundled, true], [downloaded, false], [opened, false]] as const) {
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
  async list(): Promise<ModelInfo[]> {
    const infos: ModelInfo[] = [];
    for (const entry of await this.entries()) {
      const info = await describeModelFile(entry).catch(() => null);
      if (info) infos.push(info);
    }
    return infos;
  }
}

export async function describeModelFile(entry: CatalogEntry): Promise<ModelInfo> {
  const { info, sizeBytes } = await readGgufHeader(entry.path);
  const shape = modelShape(info);
  return {
    id: modelIdForPath(entry.path),
    name: String(info.metadata.general.name ?? basename(entry.path)),
    fileName: basename(entry.path),
    sizeBytes,
    bundled: entry.bundled,
    layers: shape.layers,
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    trainContextSize: shape.trainContextSize,
    kvBytesPerToken: kvBytesPerToken(shape),
    promptStyle: shape.hasChatTemplate ? "chat" : "completion",
  };
}
