import { createHash } from "node:crypto";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";
import type { CalibrationProfile } from "./calibration-profile";

/** Bytes hashed at each end of a model file: the GGUF header and metadata, and the last tensors. */
const FINGERPRINT_SPAN = 1 << 20;
/** Blocks hashed between the two ends, evenly spaced, and their size. */
const MIDDLE_BLOCKS = 16;
const MIDDLE_BLOCK_BYTES = 1 << 16;

/**
 * Where the hashed parts of a file of `size` bytes lie, as [start, end) ranges in order: the first MiB,
 * 16 blocks of 64 KiB spread evenly over the middle (the whole middle when it is smaller than that), the
 * last MiB.
 */
export function fingerprintRanges(size: number): [number, number][] {
  const headEnd = Math.min(size, FINGERPRINT_SPAN);
  const tailStart = Math.max(headEnd, size - FINGERPRINT_SPAN);
  const ranges: [number, number][] = [[0, headEnd]];
  const middle = tailStart - headEnd;
  if (middle <= MIDDLE_BLOCKS * MIDDLE_BLOCK_BYTES) {
    if (middle > 0) ranges.push([headEnd, tailStart]);
  } else {
    for (let k = 0; k < MIDDLE_BLOCKS; k++) {
      const start = headEnd + Math.floor((k * (middle - MIDDLE_BLOCK_BYTES)) / (MIDDLE_BLOCKS - 1));
      ranges.push([start, start + MIDDLE_BLOCK_BYTES]);
    }
  }
  if (size > tailStart) ranges.push([tailStart, size]);
  return ranges;
}

/**
 * A short, stable id of a model file's content: sha256 over its size and about 3 MiB of it (header,
 * metadata and vocabulary; blocks spread over the tensors; the last tensors), so a renamed copy keeps its
 * profile and a re-quantised, fine-tuned or edited file gets its own, without reading gigabytes.
 */
export async function modelFingerprint(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const hash = createHash("sha256").update(`gguf size ${size}\n`);
    for (const [start, end] of fingerprintRanges(size)) {
      const part = Buffer.alloc(end - start);
      await file.read(part, 0, part.length, start);
      hash.update(part);
    }
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
  if (
    !shaped(profile.semanticHeads) ||
    !shaped(profile.retrievalHeads) ||
    !shaped(profile.semanticScores) ||
    !shaped(profile.retrievalScores) ||
    profile.layerWeights.length !== layers
  ) {
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

/**
 * The profile of a model file from the first of these data folders that holds one: the person's own
 * calibration first, then profiles shipped with the app (the bundled demo model's).
 */
export async function findProfile(
  dataDirs: readonly string[],
  modelPath: string,
): Promise<CalibrationProfile | undefined> {
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
