import { createHash } from "node:crypto";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";
import type { CalibrationProfile } from "./calibration-profile";

/** Bytes hashed at each end of a model file: the GGUF header and metadata, and the last tensors. */
const FINGERPRINT_SPAN = 1 << 20;

/**
 * A short, stable id of a model file's content: sha256 over its size, its first MiB (header, metadata and
 * vocabulary) and its last MiB (tensor data), so a renamed copy keeps its profile and a re-quantised or
 * fine-tuned file gets its own, without reading gigabytes.
 */
export async function modelFingerprint(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const hash = createHash("sha256").update(`gguf size ${size}\n`);
    const head = Buffer.alloc(Math.min(size, FINGERPRINT_SPAN));
    await file.read(head, 0, head.length, 0);
    hash.update(head);
    const tailStart = Math.max(head.length, size - FINGERPRINT_SPAN);
    const tail = Buffer.alloc(size - tailStart);
    await file.read(tail, 0, tail.length, tailStart);
    hash.update(tail);
    return hash.digest("hex").slice(0, 32);
  } finally {
    await file.close();
  }
}

export function profilesDirectory(dataDir: string): string {
  return join(dataDir, "profiles");
}

export function profilePath(dataDir: string, fingerprint: string): string {
  if (!/^[0-9a-f]+$/.test(fingerprint)) throw new Error(`"${fingerprint}" is not a model fingerprint`);
  return join(profilesDirectory(dataDir), `${fingerprint}.json`);
}

const ranking = z.array(z.array(z.number().int().nonnegative()));
const matrix = z.array(z.array(z.number()));
const profileSchema = z.object({
  version: z.literal(1),
  model: z.object({
    fileName: z.string(),
    name: z.string(),
    sizeBytes: z.number().nonnegative(),
    fingerprint: z.string(),
    layers: z.number().int().positive(),
    heads: z.number().int().positive(),
    kvHeads: z.number().int().positive(),
  }),
  semanticHeads: ranking,
  retrievalHeads: ranking,
  layerWeights: z.array(z.number()),
  semanticScores: matrix,
  retrievalScores: matrix,
  layerErrorDatasets: z.literal("lengths"),
  probes: z.object({
    run: z.number().int().nonnegative(),
    counted: z.number().int().nonnegative(),
    byLength: z.array(z.object({ length: z.number(), probes: z.number(), counted: z.number() })),
  }),
  settings: z.object({
    lengths: z.array(z.number()),
    depths: z.number(),
    maxTokens: z.number(),
    errorBudget: z.number(),
    window: z.number(),
    headsPerLayer: z.number(),
  }),
  haystack: z.enum(["built-in", "document"]),
  createdAt: z.string(),
  durationMs: z.number(),
});

function parseProfile(value: unknown, where: string): CalibrationProfile {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${where} is not a calibration profile: ${parsed.error.issues[0]?.message}`);
  const profile = parsed.data;
  const { layers, heads } = profile.model;
  const shaped = (rows: number[][]) => rows.length === layers && rows.every((row) => row.length === heads);
  if (!shaped(profile.semanticHeads) || !shaped(profile.retrievalHeads) || !shaped(profile.semanticScores) ||
    !shaped(profile.retrievalScores) || profile.layerWeights.length !== layers) {
    throw new Error(`${where} does not match its model's ${layers} layers x ${heads} heads`);
  }
  return profile;
}

/** Stores a profile under its model's fingerprint, atomically (a reader never sees half a file). */
export async function saveProfile(dataDir: string, profile: CalibrationProfile): Promise<string> {
  const path = profilePath(dataDir, profile.model.fingerprint);
  await writeJsonAtomic(path, profile);
  return path;
}

/** The stored profile of a model fingerprint, or undefined when that model was never calibrated. */
export async function loadProfile(dataDir: string, fingerprint: string): Promise<CalibrationProfile | undefined> {
  const path = profilePath(dataDir, fingerprint);
  const value = await readJson<unknown>(path, undefined);
  if (value === undefined) return undefined;
  const profile = parseProfile(value, path);
  if (profile.model.fingerprint !== fingerprint) throw new Error(`${path} holds the profile of another model`);
  return profile;
}

/** The stored profile of a model file (by its content), or undefined. */
export async function profileForModelFile(dataDir: string, modelPath: string): Promise<CalibrationProfile | undefined> {
  return loadProfile(dataDir, await modelFingerprint(modelPath));
}

/**
 * The profile of a model file from the first of these data folders that holds one: the person's own
 * calibration first, then profiles shipped with the app (the bundled demo model's).
 */
export async function findProfile(dataDirs: readonly string[], modelPath: string): Promise<CalibrationProfile | undefined> {
  const fingerprint = await modelFingerprint(modelPath);
  for (const dataDir of dataDirs) {
    const profile = await loadProfile(dataDir, fingerprint);
    if (profile) return profile;
  }
  return undefined;
}

/** Where the app ships calibration profiles of its bundled models, under its resources folder. */
export function bundledProfilesDataDir(resourcesDir: string): string {
  return join(resourcesDir, "calibration");
}

/** What the app lists about each calibrated model. */
export interface ProfileSummary {
  readonly fingerprint: string;
  readonly fileName: string;
  readonly name: string;
  readonly createdAt: string;
  readonly probesRun: number;
  readonly probesCounted: number;
}

/** Every stored profile, newest first; unreadable files are skipped. */
export async function listProfiles(dataDir: string): Promise<ProfileSummary[]> {
  let names: string[];
  try {
    names = await readdir(profilesDirectory(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const summaries: ProfileSummary[] = [];
  for (const name of names) {
    const match = /^([0-9a-f]+)\.json$/.exec(name);
    if (!match) continue;
    let profile: CalibrationProfile | undefined;
    try {
      profile = await loadProfile(dataDir, match[1]);
    } catch {
      continue;
    }
    if (!profile) continue;
    summaries.push({
      fingerprint: profile.model.fingerprint,
      fileName: profile.model.fileName,
      name: profile.model.name,
      createdAt: profile.createdAt,
      probesRun: profile.probes.run,
      probesCounted: profile.probes.counted,
    });
  }
  return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.fingerprint.localeCompare(b.fingerprint));
}
