// The full accuracy run on the real models (issue "accuracy against budget"): a fixed list of `eval`
// runs, each into its own folder under --out, each resumable. Stop it at any time (Ctrl-C) and run the
// same command again: finished trials are read back and skipped, every run goes on where it stopped.
// Each run prints its own progress bar with an estimate of the time left.
//
//   node scripts/eval-real-models.mjs [--out DIR] [--only NAME[,NAME]] [--list]
//   (npm run eval:real-models -- ...)
//
// Order: the headline grid (Qwen2.5 Coder 0.5B Instruct, the needle task, 2,048 tokens, every method
// and budget, 40 items per cell; about 85 minutes on a 2-core CPU), then full-cache accuracy of every
// model on every task (each grid's table says whether the full cache reaches 70 %), then smaller grids
// on the other tasks and on SmolLM2, and last the held-out task, variable tracking, which was kept out
// of all tuning. All of it takes many hours on a 2-core CPU; a GPU build of the addon is much faster.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const MODELS = {
  smollm2: ".cache/models/SmolLM2-135M-Instruct.Q4_1.gguf",
  qwen: ".cache/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
  gemma3: ".cache/models/gemma-3-270m-q4_k_m.gguf",
};
const TASKS = ["needle", "passkey", "multikey-needle"];
const HELD_OUT = "variable-tracking";
const METHODS = [
  "full",
  "streaming-llm",
  "snapkv",
  "pyramidkv",
  "retrieval-heads",
  "random",
  "compresskv",
  "compresskv:aware:exact",
  "compresskv:agnostic",
  "snapkv:agnostic",
  // Named options inside the paper, each beside the default on the same items: what CompressKV's
  // error-based layer budgets add (uniform instead), more heads per layer, SnapKV's max pooling.
  "compresskv:aware:uniform",
  "compresskv:aware:heads=8",
  "compresskv:aware:pool=max7",
].join(",");

/**
 * Full-cache accuracy, 5 depths x `samples` items per length; a run of one length has it in its name.
 */
function fullCache(model, task, lengths = "512,1024,2048", samples = 4) {
  return {
    name: `full-${model}-${task}${lengths.includes(",") ? "" : `-${lengths}`}`,
    args: [
      ...["--model", MODELS[model], "--task", task, "--lengths", lengths],
      ...["--depths", "5", "--samples", String(samples)],
    ],
    methods: "full",
  };
}

/**
 * Every method at every budget on one task and length, 5 depths x `samples` items. The document is read in
 * one chunk (as the paper compresses once after the prefill), and each item's reading is shared by its
 * conditions.
 */
function grid(model, task, length, budgets, samples = 8) {
  return {
    name: `grid-${model}-${task}-${length}`,
    args: [
      ...["--model", MODELS[model], "--task", task, "--lengths", String(length)],
      ...["--depths", "5", "--samples", String(samples), "--chunk", "4096"],
    ],
    methods: METHODS,
    budgets,
  };
}

/**
 * The paper's memory accounting on the first 20 items of the headline grid: every layer keeps its own
 * B_l tokens and sees only them, the cache holds their union (up to L x B cells). Beside the headline's
 * shared cells, it says what our accounting costs each method. The full cache comes from the headline run.
 */
const perLayerGrid = {
  ...grid("qwen", "needle", 2048, "64,128,256,512,1024", 4),
  name: "grid-qwen-needle-2048-per-layer",
  methods: [
    "snapkv:aware:exact:per-layer",
    "pyramidkv:aware:exact:per-layer",
    "compresskv:aware:exact:per-layer",
    "compresskv:aware:exact:uniform:per-layer",
  ].join(","),
};

export const RUNS = [
  // The headline: Qwen2.5 Coder 0.5B on the paper-style needle, 40 items per cell.
  grid("qwen", "needle", 2048, "64,128,256,512,1024"),
  perLayerGrid,
  // Gemma 3 270M (a base model, no chat template): whether it finds the needle at all with the full cache.
  fullCache("gemma3", "needle", "1024", 2),
  // Whether the held-out task is one the headline model does at the headline length.
  fullCache("qwen", HELD_OUT, "2048", 2),
  ...Object.keys(MODELS).flatMap((model) => [...TASKS, HELD_OUT].map((task) => fullCache(model, task))),
  grid("qwen", "passkey", 2048, "64,128,256,512,1024", 4),
  grid("qwen", "multikey-needle", 2048, "64,128,256,512,1024", 4),
  grid("smollm2", "needle", 1024, "64,128,256,512", 4),
  grid("qwen", HELD_OUT, 2048, "64,128,256,512,1024", 4),
];

const { values } = parseArgs({
  options: { out: { type: "string" }, only: { type: "string" }, list: { type: "boolean" } },
});
const root = values.out ?? join("test-output", "eval-real-models");
const only = values.only ? new Set(values.only.split(",")) : null;
const runs = RUNS.filter((run) => !only || only.has(run.name));
if (values.list) {
  for (const run of RUNS) console.log(run.name);
  process.exit(0);
}
for (const model of Object.values(MODELS)) {
  if (!existsSync(model)) {
    console.error(`error: ${model} is missing; fetch the models first (npm run fetch-models)`);
    process.exit(1);
  }
}
// One calibration per model, shared by the runs (CompressKV and retrieval-heads need it).
const dataDir = join(root, "calibration");
// Ctrl-C reaches the running eval too, which saves what it has and exits; then stop here as well.
let interrupted = false;
process.on("SIGINT", () => {
  interrupted = true;
});
for (const [index, run] of runs.entries()) {
  const args = [
    "tsx",
    "src-main/cli/index.ts",
    "eval",
    ...run.args,
    "--methods",
    run.methods,
    ...(run.budgets ? ["--budgets", run.budgets] : []),
    "--calibration-lengths",
    "512,1024",
    "--data-dir",
    dataDir,
    "--out",
    join(root, run.name),
    "--resume",
  ];
  console.error(`\n== run ${index + 1}/${runs.length}: ${run.name}\n   npx ${args.join(" ")}`);
  const status = await new Promise((done) => {
    spawn("npx", args, { stdio: "inherit" }).on("exit", (code, signal) => done(code ?? signal));
  });
  if (status !== 0 || interrupted) {
    console.error(`== ${run.name} stopped (exit ${status}); run the same command again to go on`);
    process.exit(status === 0 ? 130 : typeof status === "number" ? status : 1);
  }
}
