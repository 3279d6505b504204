/**
 * Item-by-item comparison of pairs of series of an eval run, at each budget: items where the first
 * scored higher / lower, and the two-sided sign test's p-value. Prints a markdown table.
 *
 * Usage: npx tsx scripts/compare-paired.ts --budgets 64,128 RUN_DIR A:B [A:B ...]
 *   A and B are series as in condition keys without the budget: "compresskv", "snapkv",
 *   "compresskv/uniform", "compresskv/exact" ("compresskv@128/uniform" at budget 128).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { TrialResult } from "../src-main/evaluation";
import { comparePaired } from "../src-main/evaluation/paired-comparison";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { budgets: { type: "string" } } });
const [run, ...pairs] = positionals;
if (!values.budgets || !run || pairs.length === 0) {
  console.error("usage: --budgets 64,128 RUN_DIR A:B [A:B ...]");
  process.exit(1);
}
const budgets = values.budgets.split(",");
const results = (await readFile(join(run, "results.jsonl"), "utf8"))
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as TrialResult);
const atBudget = (series: string, budget: string) => {
  const [method, ...marks] = series.split("/");
  return [`${method}@${budget}`, ...marks].join("/");
};
console.log(`| first : second | ${budgets.map((b) => `${b} cells`).join(" | ")} |`);
console.log(`|---|${budgets.map(() => "---:").join("|")}|`);
for (const pair of pairs) {
  const [a, b] = pair.split(":");
  const cells = budgets.map((budget) => {
    const c = comparePaired(results, atBudget(a, budget), atBudget(b, budget));
    return c.items === 0 ? "" : `${c.wins} / ${c.losses} (p ${c.p < 0.001 ? "< 0.001" : c.p.toFixed(3)})`;
  });
  console.log(`| ${a} : ${b} | ${cells.join(" | ")} |`);
}
console.log(
  "\nItems where the first scored higher / lower than the second (ties left out); two-sided exact sign test.",
);
