import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CalibrationProfile } from "../../../src-main/calibration/calibration-profile";
import {
  findProfile,
  fingerprintRanges,
  listProfiles,
  loadProfile,
  modelFingerprint,
  profilePath,
  saveProfile,
} from "../../../src-main/calibration/profile-store";

const MiB = 1 << 20;

function sha(...parts: (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, 32);
}

function profile(fingerprint: string, createdAt: string, fileName = "m.gguf"): CalibrationProfile {
  return {
    version: 1,
    model: { fileName, name: "m", sizeBytes: 10, fingerprint, layers: 2, heads: 2, kvHeads: 1 },
    semanticHeads: [
      [1, 0],
      [0, 1],
    ],
    retrievalHeads: [
      [0, 1],
      [0, 1],
    ],
    layerWeights: [0.25, 0.75],
    semanticScores: [
      [0.1, 0.9],
      [0.5, 0.2],
    ],
    retrievalScores: [
      [0, 0],
      [0.4, 0],
    ],
    layerErrorDatasets: "lengths",
    probes: { run: 4, counted: 3, byLength: [{ length: 256, probes: 4, counted: 3 }] },
    settings: { lengths: [256], depths: 4, maxTokens: 8, errorBudget: 32, window: 8, headsPerLayer: 1 },
    haystack: "built-in",
    createdAt,
    durationMs: 1234,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "profiles-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("model fingerprints", () => {
  it("hash the size and the whole of a small file", async () => {
    const bytes = Buffer.from("GGUF small model bytes");
    await writeFile(join(dir, "a.gguf"), bytes);
    expect(await modelFingerprint(join(dir, "a.gguf"))).toBe(sha(`gguf size ${bytes.length}\n`, bytes));
  });

  it("hash the whole middle when it is at most 16 blocks of 64 KiB", async () => {
    const bytes = Buffer.alloc(2 * MiB + 1000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13) & 0xff;
    await writeFile(join(dir, "mid.gguf"), bytes);
    expect(fingerprintRanges(bytes.length)).toEqual([
      [0, MiB],
      [MiB, MiB + 1000],
      [MiB + 1000, 2 * MiB + 1000],
    ]);
    expect(await modelFingerprint(join(dir, "mid.gguf"))).toBe(sha(`gguf size ${bytes.length}\n`, bytes));
  });

  it("hash the first and the last MiB of a large file and 16 blocks between, and follow content, not name", async () => {
    const bytes = Buffer.alloc(3 * MiB + 15 * 4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 12)) & 0xff;
    await writeFile(join(dir, "big.gguf"), bytes);
    const ranges = fingerprintRanges(bytes.length);
    // The middle MiB + 60 KiB holds 16 blocks of 64 KiB, 4 KiB apart.
    expect(ranges).toHaveLength(18);
    expect(ranges[1]).toEqual([MiB, MiB + 65536]);
    expect(ranges[2]).toEqual([MiB + 65536 + 4096, MiB + 2 * 65536 + 4096]);
    expect(ranges[16]).toEqual([2 * MiB + 15 * 4096 - 65536, 2 * MiB + 15 * 4096]);
    expect(ranges[17]).toEqual([2 * MiB + 15 * 4096, bytes.length]);
    const expected = sha(`gguf size ${bytes.length}\n`, ...ranges.map(([start, end]) => bytes.subarray(start, end)));
    expect(await modelFingerprint(join(dir, "big.gguf"))).toBe(expected);

    await copyFile(join(dir, "big.gguf"), join(dir, "renamed.gguf"));
    expect(await modelFingerprint(join(dir, "renamed.gguf"))).toBe(expected);

    bytes[bytes.length - 1] ^= 1;
    await writeFile(join(dir, "changed.gguf"), bytes);
    expect(await modelFingerprint(join(dir, "changed.gguf"))).not.toBe(expected);
    bytes[bytes.length - 1] ^= 1;

    // A change in the tensors between the ends (an edited layer) is seen too.
    bytes[ranges[8][0] + 100] ^= 1;
    await writeFile(join(dir, "edited.gguf"), bytes);
    expect(await modelFingerprint(join(dir, "edited.gguf"))).not.toBe(expected);
  });
});

describe("the profile store", () => {
  it("saves under <dataDir>/profiles/<fingerprint>.json and loads the same profile", async () => {
    const saved = profile("ab12", "2026-01-02T00:00:00.000Z");
    const path = await saveProfile(dir, saved);
    expect(path).toBe(join(dir, "profiles", "ab12.json"));
    expect(await readdir(join(dir, "profiles"))).toEqual(["ab12.json"]);
    expect(await loadProfile(dir, "ab12")).toEqual(saved);
  });

  it("finds a model file's profile by its content", async () => {
    await writeFile(join(dir, "m.gguf"), "GGUF model");
    const fingerprint = await modelFingerprint(join(dir, "m.gguf"));
    expect(await findProfile([dir], join(dir, "m.gguf"))).toBeUndefined();
    await saveProfile(dir, profile(fingerprint, "2026-01-02T00:00:00.000Z"));
    expect((await findProfile([dir], join(dir, "m.gguf")))?.model.fingerprint).toBe(fingerprint);
  });

  it("says undefined for a model never calibrated, and refuses ids that are not fingerprints", async () => {
    expect(await loadProfile(dir, "ffff")).toBeUndefined();
    expect(() => profilePath(dir, "../etc/passwd")).toThrow(/not a model fingerprint/);
  });

  it("refuses a malformed profile, one whose matrices don't fit its model, and one filed under another id", async () => {
    await mkdir(join(dir, "profiles"));
    await writeFile(join(dir, "profiles", "aa.json"), JSON.stringify({ version: 1, model: {} }));
    await expect(loadProfile(dir, "aa")).rejects.toThrow(/not a calibration profile/);

    await writeFile(join(dir, "profiles", "bb.json"), JSON.stringify({ ...profile("bb", "x"), layerWeights: [1] }));
    await expect(loadProfile(dir, "bb")).rejects.toThrow(/2 layers x 2 heads/);

    await writeFile(join(dir, "profiles", "cc.json"), JSON.stringify(profile("dd", "x")));
    await expect(loadProfile(dir, "cc")).rejects.toThrow(/another model/);
  });

  it("lists calibrated models newest first, skipping unreadable files", async () => {
    expect(await listProfiles(dir)).toEqual([]);
    await saveProfile(dir, profile("0a", "2026-01-01T00:00:00.000Z", "old.gguf"));
    await saveProfile(dir, profile("0b", "2026-03-01T00:00:00.000Z", "new.gguf"));
    await writeFile(join(dir, "profiles", "0c.json"), "{ torn");
    await writeFile(join(dir, "profiles", "notes.txt"), "not a profile");
    expect(await listProfiles(dir)).toEqual([
      {
        fingerprint: "0b",
        fileName: "new.gguf",
        name: "m",
        createdAt: "2026-03-01T00:00:00.000Z",
        probesRun: 4,
        probesCounted: 3,
      },
      {
        fingerprint: "0a",
        fileName: "old.gguf",
        name: "m",
        createdAt: "2026-01-01T00:00:00.000Z",
        probesRun: 4,
        probesCounted: 3,
      },
    ]);
  });
});
