/**
 * Why CompressKV does what it does on a real model: which heads its calibration chose, against the heads
 * that attend to the answer at decode time on the eval's own needle format.
 *
 * Runs the app's calibration (needle probes: full-cache decode, every head's attention rows captured)
 * twice more on real prose (R-intro.pdf by default): once with the built-in needles (the
 * `calibrate --haystack` option: only the haystack differs from the grid's profile) and once with needles
 * of the eval's `needle` task ("The best thing to do in <city> is to <activity>."), whose scores say which
 * heads copy the answer on that task. Prints, per layer, the top-k overlap and rank correlation of each
 * against the grid's profile, and writes both profiles (usable with `eval --data-dir`) and a JSON summary.
 *
 * Usage: npx tsx scripts/compare-calibration-heads.ts --model M.gguf --profile-dir D [--haystack a.pdf]
 *          [--lengths 1024] [--depths 8] [--heads 4] --out DIR
 */
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  calibrateModel,
  loadProfile,
  modelFingerprint,
  saveProfile,
  type CalibrationProfile,
} from "../src-main/calibration";
import type { Needle } from "../src-main/calibration/needles";
import { BUILT_IN_NEEDLES } from "../src-main/calibration";
import { readDocument } from "../src-main/documents/read-document";
import { getRuntime } from "../src-main/engine/llama-runtime";
import { LoadedModel } from "../src-main/engine/loaded-model";
import { headAgreement, type LayerAgreement } from "../src-main/evaluation/head-agreement";
import { NEEDLE_ACTIVITIES, NEEDLE_CITIES } from "../src-main/tasks/needle-task";
import { writeJsonAtomic } from "../src-main/storage/atomic-file";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    "profile-dir": { type: "string" },
    haystack: { type: "string", default: "/usr/share/R/doc/manual/R-intro.pdf" },
    lengths: { type: "string", default: "1024" },
    depths: { type: "string", default: "8" },
    heads: { type: "string", default: "4" },
    out: { type: "string" },
  },
});
if (!values.model || !values["profile-dir"] || !values.out) {
  console.error("usage: --model M.gguf --profile-dir D --out DIR [--haystack a.pdf] [--lengths 1024] [--depths 8]");
  process.exit(1);
}

/** Needles in the eval needle task's format (the task's lists, its sentence and question). */
const taskNeedles: Needle[] = NEEDLE_CITIES.slice(0, 8).map((city, i) => {
  const activity = NEEDLE_ACTIVITIES[i % NEEDLE_ACTIVITIES.length];
  return {
    sentence: `The best thing to do in ${city} is to ${activity}.`,
    answer: activity,
    question: `What is the best thing to do in ${city}? Answer in one sentence.`,
    cue: `The best thing to do in ${city} is to`,
  };
});

const k = Number(values.heads);
const llama = await getRuntime();
const loaded = await LoadedModel.load(llama, resolve(values.model));
const fingerprint = await modelFingerprint(loaded.path);
const grid = await loadProfile(resolve(values["profile-dir"]), fingerprint);
if (!grid) throw new Error(`no profile of ${loaded.info.fileName} in ${values["profile-dir"]}`);
const bytes = new Uint8Array(await readFile(values.haystack));
const haystack = { text: (await readDocument(basename(values.haystack), bytes)).text, source: "document" as const };
const settings = { lengths: values.lengths.split(",").map(Number), depths: Number(values.depths) };

const runs: { name: string; needles: readonly Needle[]; profile?: CalibrationProfile; agreement?: LayerAgreement[] }[] =
  [
    { name: "built-in-needles-on-prose", needles: BUILT_IN_NEEDLES },
    { name: "task-needles-on-prose", needles: taskNeedles },
  ];
for (const run of runs) {
  const started = Date.now();
  run.profile = await calibrateModel(loaded, { haystack, settings, needles: run.needles });
  await saveProfile(join(resolve(values.out), run.name), run.profile);
  run.agreement = headAgreement(grid.semanticScores, run.profile.semanticScores, k);
  console.error(
    `${run.name}: ${run.profile.probes.counted}/${run.profile.probes.run} probes answered, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
await loaded.dispose();

const heads = grid.model.heads;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const lines = [
  `Semantic heads of the grid's profile (${grid.haystack} haystack, lengths ${grid.settings.lengths.join(", ")}) against:`,
  "",
  `| layer | ${runs.map((r) => `${r.name}: top-${k} overlap | rank corr.`).join(" | ")} |`,
  `|---:|${runs.map(() => "---:|---:").join("|")}|`,
  ...grid.semanticScores.map(
    (_, layer) =>
      `| ${layer} | ${runs.map((r) => `${r.agreement![layer].overlap.toFixed(2)} | ${r.agreement![layer].rankCorrelation.toFixed(2)}`).join(" | ")} |`,
  ),
  `| mean | ${runs.map((r) => `${mean(r.agreement!.map((a) => a.overlap)).toFixed(2)} | ${mean(r.agreement!.map((a) => a.rankCorrelation)).toFixed(2)}`).join(" | ")} |`,
  "",
  `Chance overlap of two random top-${k} sets of ${heads} heads: ${(k / heads).toFixed(2)}.`,
];
console.log(lines.join("\n"));
await writeJsonAtomic(join(resolve(values.out), "head-agreement.json"), {
  model: grid.model.fileName,
  k,
  chanceOverlap: k / heads,
  gridProfile: { haystack: grid.haystack, lengths: grid.settings.lengths, createdAt: grid.createdAt },
  runs: runs.map((r) => ({
    name: r.name,
    probes: r.profile!.probes,
    settings: { lengths: settings.lengths, depths: settings.depths },
    semanticHeads: r.profile!.semanticHeads.map((h) => h.slice(0, k)),
    agreement: r.agreement,
  })),
  gridSemanticHeads: grid.semanticHeads.map((h) => h.slice(0, k)),
});
