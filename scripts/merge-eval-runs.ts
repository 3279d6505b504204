/**
 * Joins eval runs of the same model, task format and conditions made with different --seed values (each
 * in its own folder, so each stays resumable), or with other methods on the same items, into one set of
 * results: results.jsonl (item ids prefixed with their items' digest), summary.json, table.md and the pictures, as one `eval` run would write them.
 *
 * Usage: npx tsx scripts/merge-eval-runs.ts --methods M --budgets B [--title T] --out DIR RUN_DIR...
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
const results: TrialResult[] = [];
const runs: { folder: string; manifest: RunManifest; trials: number }[] = [];
for (const folder of positionals) {
  const manifest = JSON.parse(await readFile(join(folder, "run.json"), "utf8")) as RunManifest;
  const lines = (await readFile(join(folder, "results.jsonl"), "utf8")).split("\n").filter((line) => line.trim());
  // Runs of the same items (other methods on one seed) share a tag, so each item keeps its full-cache result.
  const tag = manifest.itemsDigest.slice(0, 8);
  for (const line of lines) {
    const trial = JSON.parse(line) as TrialResult;
    results.push({ ...trial, item: `${tag}:${trial.item}`, key: `${tag}:${trial.key}` });
  }
  runs.push({ folder: folder.replace(/\/$/, "").split("/").pop() ?? folder, manifest, trials: lines.length });
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
