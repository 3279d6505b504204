import { open, readFile, truncate } from "node:fs/promises";
import type { TrialResult } from "./trial-result";

/**
 * results.jsonl: one finished trial per line, appended and flushed as each one ends, so a run killed at
 * any moment loses at most the trial it was in. Opening it again reads what is there; a last line cut
 * off by the kill (no newline at its end) is dropped from the file, and its trial runs again.
 */
export class ResultsLog {
  private constructor(
    readonly path: string,
    private readonly byKey: Map<string, TrialResult>,
  ) {}

  static async open(path: string): Promise<ResultsLog> {
    let content = "";
    try {
      content = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const complete = content.endsWith("\n") ? content : content.slice(0, content.lastIndexOf("\n") + 1);
    if (complete.length < content.length) await truncate(path, Buffer.byteLength(complete));
    const byKey = new Map<string, TrialResult>();
    complete.split("\n").forEach((line, index) => {
      if (!line) return;
      let result: TrialResult;
      try {
        result = JSON.parse(line) as TrialResult;
      } catch (error) {
        throw new Error(`${path} line ${index + 1} is damaged (${(error as Error).message}); remove it to resume`);
      }
      if (byKey.has(result.key)) throw new Error(`${path} line ${index + 1}: trial ${result.key} is there twice`);
      byKey.set(result.key, result);
    });
    return new ResultsLog(path, byKey);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Results in the order they were written. */
  results(): TrialResult[] {
    return [...this.byKey.values()];
  }

  async append(result: TrialResult): Promise<void> {
    if (this.byKey.has(result.key)) throw new Error(`trial ${result.key} is already in ${this.path}`);
    const file = await open(this.path, "a");
    try {
      await file.write(`${JSON.stringify(result)}\n`);
      await file.datasync();
    } finally {
      await file.close();
    }
    this.byKey.set(result.key, result);
  }
}
