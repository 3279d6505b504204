/**
 * Joins eval runs of the same model, task format and conditions made with different --seed values (each
 * in its own folder, so each stays resumable), or with other methods on the same items, into one set of
 * results: results.jsonl (item ids prefixed with their items' digest), summary.json, table.md and the pictures, as one `eval` run would write them.
 *
 * With --same-items, the runs are of the same items (same task, seed and grid; some runs fewer of
 * them, e.g. --samples 4 against 8): an item keeps its id, only the items every run has are kept, a
 * condition in several runs counts once (the first run's), and an item whose answers or document length
 * differ between runs stops the merge.
 *
 * Usage: npx tsx scripts/merge-eval-runs.ts --methods M --budgets B [--title T] [--same-items] --out DIR RUN_DIR...
 *   (--methods and --budgets as given to eval, to order the rows and columns)
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { METHOD_NAMES } from "../src-main/api/compression-settings";
import {
  conditionGrid,
  parseBudget,
  parseSeries,
  resultsTable,
  summarizeConditions,
  writeFigures,
  type RunManifest,
  type TrialResult,
} from "../src-main/evaluation";
import { writeJsonAtomic } from "../src-main/storage/atomic-file";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    methods: { type: "string" },
    budgets: { type: "string" },
    title: { type: "string" },
    out: { type: "string" },
    "same-items": { type: "boolean" },
  },
});
if (!values.methods || !values.budgets || !values.out || positionals.length === 0) {
  console.error("usage: --methods M --budgets B --out DIR RUN_DIR...");
  process.exit(1);
}
const conditions = conditionGrid(
  parseSeries(values.methods, METHOD_NAMES, [true]),
  values.budgets.split(",").map(parseBudget),
);
let results: TrialResult[] = [];
const runs: { folder: string; manifest: RunManifest; trials: number }[] = [];
const itemsOfRun: Set<string>[] = [];
for (const folder of positionals) {
  const manifest = JSON.parse(await readFile(join(folder, "run.json"), "utf8")) as RunManifest;
  const lines = (await readFile(join(folder, "results.jsonl"), "utf8")).split("\n").filter((line) => line.trim());
  // Runs of the same items (other methods on one seed) share a tag, so each item keeps its full-cache result.
  const tag = values["same-items"] ? "" : `${manifest.itemsDigest.slice(0, 8)}:`;
  const items = new Set<string>();
  for (const line of lines) {
    const trial = JSON.parse(line) as TrialResult;
    items.add(trial.item);
    results.push({ ...trial, item: `${tag}${trial.item}`, key: `${tag}${trial.key}` });
  }
  itemsOfRun.push(items);
  runs.push({ folder: folder.replace(/\/$/, "").split("/").pop() ?? folder, manifest, trials: lines.length });
}
if (values["same-items"]) {
  const seen = new Map<string, TrialResult>();
  for (const trial of results) {
    const first = seen.get(trial.item);
    if (!first) seen.set(trial.item, trial);
    else if (
      JSON.stringify(first.answers) !== JSON.stringify(trial.answers) ||
      first.documentTokens !== trial.documentTokens
    ) {
      console.error(`item ${trial.item} differs between the runs: they are not of the same items`);
      process.exit(1);
    }
  }
  // A condition run by more than one of them counts once, as the first run has it.
  const keys = new Set<string>();
  results = results.filter((trial) => {
    if (!itemsOfRun.every((items) => items.has(trial.item)) || keys.has(trial.key)) return false;
    keys.add(trial.key);
    return true;
  });
}
const summaries = summarizeConditions(results, conditions);
const table = resultsTable(summaries, conditions);
await mkdir(values.out, { recursive: true });
await writeFile(join(values.out, "results.jsonl"), `${results.map((r) => JSON.stringify(r)).join("\n")}\n`);
await writeJsonAtomic(join(values.out, "summary.json"), {
  model: runs[0].manifest.model,
  task: runs[0].manifest.task,
  runs: runs.map((r) => ({
    folder: r.folder,
    items: r.manifest.items,
    trials: r.trials,
    createdAt: r.manifest.createdAt,
  })),
  items: new Set(results.map((r) => r.item)).size,
  conditions: summaries,
});
await writeFile(join(values.out, "table.md"), `${table}\n`);
await writeFigures(values.out, results, conditions, values.title ?? runs[0].manifest.model.fileName);
console.log(table);
