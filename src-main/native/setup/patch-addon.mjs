// Hooks the probe into node-llama-cpp's addon sources with three one-line insertions, each tagged
// so that applying the patch again changes nothing. A missing anchor means node-llama-cpp changed:
// the patch fails loudly instead of guessing.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const tag = "// compresskv-probe";

/** @type {{file: string, anchor: string, insert: string, where: "after" | "before"}[]} */
export const addonPatches = [
  {
    file: "AddonContext.cpp",
    anchor: '#include "AddonContext.h"\n',
    where: "after",
    insert: `#include "compresskv/probe-hooks.h" ${tag}\n`,
  },
  {
    file: "AddonContext.cpp",
    anchor: "    context_params.swa_full = false;\n",
    where: "after",
    insert: `    compresskvProbeInstall(context_params); ${tag}\n`,
  },
  {
    file: "AddonContext.cpp",
    anchor: "AddonContext::~AddonContext() {\n    disposeMT();\n",
    where: "after",
    insert: `    compresskvProbeRelease(context_params); ${tag}\n`,
  },
  {
    file: "addon.cpp",
    anchor: '#include "AddonContext.h"\n',
    where: "after",
    insert: `#include "compresskv/probe-hooks.h" ${tag}\n`,
  },
  {
    file: "addon.cpp",
    anchor: "    llama_log_set(addonLlamaCppLogCallback, nullptr);\n",
    where: "before",
    insert: `    compresskvProbeRegister(env, exports); ${tag}\n`,
  },
];

function applyOne(text, patch) {
  if (text.includes(patch.insert)) return text;
  const at = text.indexOf(patch.anchor);
  if (at < 0 || text.indexOf(patch.anchor, at + 1) >= 0) {
    throw new Error(`cannot patch ${patch.file}: anchor ${JSON.stringify(patch.anchor.trim())} not found exactly once`);
  }
  const cut = patch.where === "after" ? at + patch.anchor.length : at;
  return text.slice(0, cut) + patch.insert + text.slice(cut);
}

/**
 * Applies the patches to `<addonDir>/*.cpp`. Returns the files it rewrote (none when already patched).
 * @param {string} addonDir node-llama-cpp's llama/addon folder
 */
export function patchAddon(addonDir) {
  const files = [...new Set(addonPatches.map((patch) => patch.file))];
  const changed = [];
  for (const file of files) {
    const path = join(addonDir, file);
    const before = readFileSync(path, "utf8");
    const after = addonPatches.filter((patch) => patch.file === file).reduce(applyOne, before);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(file);
    }
  }
  return changed;
}
