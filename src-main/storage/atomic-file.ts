import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Older than this, a temporary file is a write that was killed, not one in flight. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** Removes the temporaries that killed writes of `path` left beside it (a crash mid-write leaves one). */
async function removeStaleTemporaries(path: string): Promise<void> {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = (await readdir(folder)).filter((name) => name.startsWith(prefix) && /\.[0-9a-f]{12}\.tmp$/.test(name));
  for (const name of names) {
    const file = join(folder, name);
    const modified = await stat(file).then(
      (info) => info.mtimeMs,
      () => Date.now(),
    );
    if (Date.now() - modified > STALE_TEMPORARY_MS) await rm(file, { force: true });
  }
}

/**
 * Writes a file so that a reader sees either the old content or the new, never a torn one:
 * the data goes to a temporary file beside the target, is flushed to disk, then renamed over it.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await removeStaleTemporaries(path);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const file = await open(temporary, "w");
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2));
}

/** The parsed JSON at `path`, or `fallback` when the file does not exist. */
export async function readJson<T>(path: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  }
  return JSON.parse(text) as T;
}
