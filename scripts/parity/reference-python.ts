/**
 * The Python that runs reference/ (numpy + gguf from reference/requirements.txt): the virtual
 * environment .ci/run makes in .cache/reference-venv, else python3 if it has both packages.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const REFERENCE_VENV = ".cache/reference-venv";

export function referencePython(): { python: string } | { missing: string } {
  const candidates = [resolve(REFERENCE_VENV, "bin", "python"), "python3"];
  for (const python of candidates) {
    if (python !== "python3" && !existsSync(python)) continue;
    const check = spawnSync(python, ["-c", "import gguf, numpy"], { stdio: "ignore" });
    if (check.status === 0) return { python };
  }
  return {
    missing: `no Python with numpy and gguf: python3 -m venv ${REFERENCE_VENV} && ${REFERENCE_VENV}/bin/pip install -r reference/requirements.txt`,
  };
}

/** Runs reference/<script> with arguments; stdout and stderr pass through or come back. */
export function runReference(
  python: string,
  script: string,
  args: readonly string[],
  echo: boolean,
): { status: number; output: string } {
  const result = spawnSync(python, [resolve("reference", script), ...args], {
    encoding: "utf8",
    stdio: echo ? "inherit" : "pipe",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}
