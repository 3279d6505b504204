import { DEFAULT_COMPRESSION } from "../api/compression-settings";
import { compressionSettingsSchema, type AppSettings } from "../api/contract";
import { readJson, writeJsonAtomic } from "../storage/atomic-file";

/** The person's settings, in one JSON file; anything unreadable in it falls back to the defaults. */
export class SettingsStore {
  constructor(private readonly path: string) {}

  async get(): Promise<AppSettings> {
    const stored = await readJson<Partial<AppSettings>>(this.path, {}).catch(() => ({}) as Partial<AppSettings>);
    const merged = { ...DEFAULT_COMPRESSION, ...(stored.compression ?? {}) };
    const parsed = compressionSettingsSchema.safeParse(merged);
    return { compression: parsed.success ? parsed.data : { ...DEFAULT_COMPRESSION } };
  }

  async update(change: { compression?: Partial<AppSettings["compression"]> }): Promise<AppSettings> {
    const current = await this.get();
    const next: AppSettings = {
      compression: compressionSettingsSchema.parse({ ...current.compression, ...change.compression }),
    };
    await writeJsonAtomic(this.path, next);
    return next;
  }
}
