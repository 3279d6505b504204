import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The haystack text that ships with the app: prose written for the project, free of any needle. */
export function bundledHaystackPath(resourcesDir: string): string {
  return join(resourcesDir, "calibration", "haystack.txt");
}

export function readBundledHaystack(resourcesDir: string): Promise<string> {
  return readFile(bundledHaystackPath(resourcesDir), "utf8");
}
