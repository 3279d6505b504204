import { createHash } from "node:crypto";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";
import { conditionKey, type Condition } from "./conditions";
import type { EvalItem } from "./eval-item";

/** run.json: what a results folder was made from, so that resuming continues the same run. */
export interface RunManifest {
  version: 1;
  model: { fileName: string; sizeBytes: number };
  task: string;
  items: number;
  /** Digest of every item (id, document, question, answers, metric, limits). */
  itemsDigest: string;
  conditions: string[];
  chunkTokens: number;
  /** Heads per layer, window or pooling when not the defaults (absent: the defaults). */
  tuning?: Record<string, unknown>;
  createdAt: string;
}

export function itemsDigest(items: readonly EvalItem[]): string {
  const hash = createHash("sha256");
  for (const item of items)
    hash.update(
      JSON.stringify([item.id, item.context, item.question, item.answers, item.metric, item.maxTokens, item.stop]),
    );
  return hash.digest("hex");
}

export function makeManifest(
  model: RunManifest["model"],
  task: string,
  items: readonly EvalItem[],
  conditions: readonly Condition[],
  chunkTokens: number,
  tuning: Record<string, unknown> = {},
): RunManifest {
  return {
    version: 1,
    model,
    task,
    items: items.length,
    itemsDigest: itemsDigest(items),
    conditions: conditions.map(conditionKey),
    chunkTokens,
    ...(Object.keys(tuning).length ? { tuning } : {}),
    createdAt: new Date().toISOString(),
  };
}

/** Why `earlier` and `now` are not the same run, or null when they are. */
export function manifestMismatch(earlier: RunManifest, now: RunManifest): string | null {
  if (earlier.model.fileName !== now.model.fileName || earlier.model.sizeBytes !== now.model.sizeBytes) {
    return `it was made with ${earlier.model.fileName}`;
  }
  if (earlier.itemsDigest !== now.itemsDigest) return `its ${earlier.items} items (${earlier.task}) differ from these`;
  if (earlier.chunkTokens !== now.chunkTokens) return `it read in chunks of ${earlier.chunkTokens} tokens`;
  if (JSON.stringify(earlier.tuning ?? {}) !== JSON.stringify(now.tuning ?? {}))
    return `its method settings were ${JSON.stringify(earlier.tuning ?? {})}`;
  if (earlier.conditions.join() !== now.conditions.join())
    return `its methods and budgets were ${earlier.conditions.join(", ")}`;
  return null;
}

export const readManifest = (path: string) => readJson<RunManifest | null>(path, null);
export const writeManifest = (path: string, manifest: RunManifest) => writeJsonAtomic(path, manifest);
