import { mkdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { DEFAULT_COMPRESSION, METHOD_NAMES } from "../api/compression-settings";
import {
  calibrateAndSave,
  bundledProfilesDataDir,
  loadProfile,
  modelFingerprint,
  readBundledHaystack,
  type CalibrationProfile,
  type CalibrationSettings,
} from "../calibration";
import { methodRegistry } from "../compresskv";
import { getRuntime } from "../engine/llama-runtime";
import { LoadedModel } from "../engine/loaded-model";
import { probeAvailability } from "../engine/probe";
import { readDocument } from "../documents/read-document";
import { normalizeProse } from "../tasks/prose-haystack";
import { PASSKEY_FILLER } from "../tasks/passkey-task";
import {
  conditionGrid,
  haystackItems,
  HAYSTACK_TASKS,
  isHaystackTask,
  makeManifest,
  manifestMismatch,
  niahItems,
  parseBudget,
  parseJsonlItems,
  parseSeries,
  progressLine,
  readManifest,
  ResultsLog,
  resultsTable,
  runEvaluation,
  summarizeConditions,
  writeFigures,
  writeManifest,
  type Condition,
  type EvalItem,
  type MethodTuning,
  type ProgressState,
} from "../evaluation";
import { makeCodeLookupPrompt } from "../tasks/code-lookup-task";
import { writeFileAtomic, writeJsonAtomic } from "../storage/atomic-file";
import { profileSummary } from "./calibrate-command";

export const DEFAULT_EVAL_MODEL = "resources/models/compresskv-retrieval-demo.gguf";
/** The real prose of the haystack tasks: R's introduction manual, as Debian's r-doc-pdf installs it. */
export const DEFAULT_HAYSTACK = "/usr/share/R/doc/manual/R-intro.pdf";
const DEFAULT_METHODS = "full,streaming-llm,snapkv,pyramidkv,random,compresskv,compresskv:agnostic";

export const EVAL_USAGE =
  `Usage: npm run eval -- [--model <model.gguf>] [--task niah|multikey|${HAYSTACK_TASKS.join("|")}|<tasks.jsonl>]\n` +
  `         [--haystack a.pdf,b.pdf] [--out <folder>] [--resume]\n` +
  `         [--lengths 512,1024,2048] [--depths 5 | 0,0.5,1] [--samples N] [--seed N]\n` +
  `         [--methods ${DEFAULT_METHODS}] [--modes aware|agnostic|both]\n` +
  `         [--budgets 64,128,256,512,6%] [--chunk TOKENS] [--data-dir D] [--calibration-lengths 512,1024]\n` +
  `         [--heads-per-layer N] [--window N] [--pooling avg|max:KERNEL] [--reservoir MULTIPLE] [--prefill-each]\n` +
  `  Methods: ${METHOD_NAMES.join(", ")}; "name:agnostic" or "name:aware" fixes a method's mode, others take --modes.\n` +
  `  Budgets are KV cells, or a share of each document ("6%"). Writes results.jsonl (one line per answered\n` +
  `  item), summary.json, table.md and SVG pictures into --out; --resume continues a stopped run there.\n` +
  `  Each item's prompt is read once for all its compressed conditions (the same answers, much faster);\n` +
  `  --prefill-each reads it in every trial, so that the timings are the app's.`;

type Values = Record<string, string | boolean | undefined>;

function invalid(message: string): never {
  throw new AppError("invalid-request", message);
}

function numberList(text: string, option: string): number[] {
  const numbers = text.split(",").map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isFinite(n))) invalid(`${option} takes numbers separated by commas`);
  return numbers;
}

function positiveInteger(text: string, option: string): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) invalid(`${option} takes a positive whole number`);
  return number;
}

/** "5" means 5 depths evenly from 0 to 1; a list is taken as given. */
function depths(text: string): number[] {
  if (!text.includes(",")) {
    const count = positiveInteger(text, "--depths");
    return count === 1 ? [0.5] : Array.from({ length: count }, (_, i) => Number((i / (count - 1)).toFixed(4)));
  }
  const list = numberList(text, "--depths");
  if (list.some((d) => d < 0 || d > 1)) invalid("--depths are between 0 and 1");
  return list;
}

/** Characters per token of the model's tokenizer on code-lookup text. */
function charactersPerToken(loaded: LoadedModel): number {
  const sample = makeCodeLookupPrompt({ seed: 0, length: 4000 }).prompt;
  return sample.length / loaded.model.tokenize(sample).length;
}

/** The haystack documents' text, read by the app's own reader (PDF, .txt, .md), joined. */
async function readHaystack(list: string): Promise<{ text: string; names: string[] }> {
  const paths = list
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const texts: string[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(resolve(path)));
    } catch (error) {
      invalid(`--haystack ${path}: ${(error as Error).message} (R's manuals come with Debian's r-doc-pdf)`);
    }
    texts.push(normalizeProse((await readDocument(basename(path), bytes)).text));
  }
  if (texts.length === 0) invalid("--haystack takes one or more documents separated by commas");
  return { text: texts.join(" "), names: paths.map((path) => basename(path)) };
}

function gridOptions(values: Values) {
  return {
    lengths: numberList(String(values.lengths ?? "512,1024,2048"), "--lengths").map((n) =>
      positiveInteger(String(n), "--lengths"),
    ),
    depths: depths(String(values.depths ?? "5")),
    samples: positiveInteger(String(values.samples ?? "2"), "--samples"),
    seed: values.seed === undefined ? 1 : positiveInteger(String(values.seed), "--seed"),
  };
}

async function loadItems(values: Values, loaded: LoadedModel): Promise<{ items: EvalItem[]; task: string }> {
  const task = String(values.task ?? "niah");
  if (isHaystackTask(task)) {
    const haystack =
      task === "passkey" ? { text: "", names: [] } : await readHaystack(String(values.haystack ?? DEFAULT_HAYSTACK));
    // The whole haystack: its opening pages (a table of contents, dot leaders) tokenize unlike its prose.
    const sample = task === "passkey" ? PASSKEY_FILLER.repeat(40) : haystack.text;
    const items = haystackItems({
      task,
      ...gridOptions(values),
      charactersPerToken: sample.length / loaded.model.tokenize(sample).length,
      haystack: haystack.text,
    });
    return { items, task: haystack.names.length ? `${task} (${haystack.names.join(", ")})` : task };
  }
  if (task !== "niah" && task !== "multikey") {
    const path = resolve(task);
    let content: string;
    try {
      content = await readFile(path, "utf8");
    } catch (error) {
      invalid(
        `--task ${task}: expected niah, multikey, ${HAYSTACK_TASKS.join(", ")} or a JSONL file (${(error as Error).message})`,
      );
    }
    try {
      return { items: parseJsonlItems(content, basename(path)), task: basename(path) };
    } catch (error) {
      invalid((error as Error).message);
    }
  }
  const items = niahItems({
    task,
    ...gridOptions(values),
    charactersPerToken: charactersPerToken(loaded),
    style: loaded.info.promptStyle,
  });
  return { items, task };
}

function conditionsOf(values: Values): Condition[] {
  const modes = String(values.modes ?? "aware");
  const defaultModes =
    modes === "both"
      ? [true, false]
      : modes === "agnostic"
        ? [false]
        : modes === "aware"
          ? [true]
          : invalid("--modes is aware, agnostic or both");
  try {
    const series = parseSeries(String(values.methods ?? DEFAULT_METHODS), METHOD_NAMES, defaultModes);
    const budgets = String(values.budgets ?? "64,128,256,512")
      .split(",")
      .map(parseBudget);
    return conditionGrid(series, budgets);
  } catch (error) {
    invalid((error as Error).message);
  }
}

/**
 * The model's stored profile (from `dataDir`, else the ones shipped in resources/calibration), or a new
 * calibration, stored in `dataDir` for next time, when there is none.
 */
async function profileFor(loaded: LoadedModel, dataDir: string, values: Values): Promise<CalibrationProfile> {
  const shipped = bundledProfilesDataDir(resolve("resources"));
  const fingerprint = await modelFingerprint(loaded.path);
  for (const [dir, label] of [
    [dataDir, "stored"],
    [shipped, "shipped with the app"],
  ] as const) {
    const stored = await loadProfile(dir, fingerprint);
    if (stored) {
      process.stderr.write(`calibration profile: ${label} (${stored.createdAt})\n`);
      return stored;
    }
  }
  const settings: Partial<CalibrationSettings> = values["calibration-lengths"]
    ? { lengths: numberList(String(values["calibration-lengths"]), "--calibration-lengths") }
    : {};
  process.stderr.write(`calibrating ${loaded.info.fileName} (needed by the head-guided methods) ...\n`);
  const { profile, path } = await calibrateAndSave(dataDir, loaded, {
    haystack: { text: await readBundledHaystack(resolve("resources")), source: "built-in" },
    settings,
    onProgress: (p) =>
      process.stderr.write(`\rcalibration probe ${p.probesDone}/${p.probesTotal} (${p.probesCounted} counted)   `),
  });
  process.stderr.write(`\nprofile saved to ${path}\n`);
  return profile;
}

/** The paper's knobs given on the command line (the defaults where absent). */
function tuningOf(values: Values): MethodTuning {
  const tuning: MethodTuning = {};
  if (values["heads-per-layer"])
    tuning.headsPerLayer = positiveInteger(String(values["heads-per-layer"]), "--heads-per-layer");
  if (values.window) tuning.window = positiveInteger(String(values.window), "--window");
  if (values.reservoir) tuning.reservoirMultiple = positiveInteger(String(values.reservoir), "--reservoir");
  if (values.pooling) {
    const [kind, kernel] = String(values.pooling).split(":");
    const size = Number(kernel);
    if ((kind !== "avg" && kind !== "max") || !Number.isInteger(size) || size < 1 || size % 2 === 0)
      invalid("--pooling is avg:K or max:K with an odd kernel K, e.g. max:7");
    tuning.pooling = { kind, kernel: size };
  }
  return tuning;
}

/** Draws the progress bar in place on a terminal, one line per finished trial otherwise. */
function progressWriter(stream: NodeJS.WriteStream): (state: ProgressState) => void {
  let lastDone = -1;
  return (state) => {
    const line = progressLine(state);
    if (stream.isTTY)
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd((stream.columns ?? 120) - 1)}`);
    else if (state.done !== lastDone) stream.write(`${line}\n`);
    lastDone = state.done;
  };
}

/** `eval`: a NIAH grid or a JSONL task set, methods x budgets, resumable; prints a table, writes JSON and SVG. */
export async function evalCommand(args: string[], output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      task: { type: "string" },
      haystack: { type: "string" },
      lengths: { type: "string" },
      depths: { type: "string" },
      samples: { type: "string" },
      seed: { type: "string" },
      methods: { type: "string" },
      modes: { type: "string" },
      budgets: { type: "string" },
      chunk: { type: "string" },
      out: { type: "string" },
      resume: { type: "boolean" },
      overwrite: { type: "boolean" },
      "data-dir": { type: "string" },
      "calibration-lengths": { type: "string" },
      "heads-per-layer": { type: "string" },
      window: { type: "string" },
      reservoir: { type: "string" },
      pooling: { type: "string" },
      "prefill-each": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    output.write(`${EVAL_USAGE}\n`);
    return;
  }
  const conditions = conditionsOf(values);
  const chunkTokens = values.chunk ? positiveInteger(values.chunk, "--chunk") : DEFAULT_COMPRESSION.chunkTokens;
  const tuning = tuningOf(values);
  const out = resolve(values.out ?? join("test-output", "eval"));
  const resultsPath = join(out, "results.jsonl");
  const manifestPath = join(out, "run.json");
  if (existsSync(resultsPath) && !values.resume) {
    if (!values.overwrite)
      invalid(`${out} already holds results: pass --resume to continue that run, or --overwrite to start again`);
    await rm(resultsPath);
  }

  const llama = await getRuntime();
  const loaded = await LoadedModel.load(llama, resolve(values.model ?? DEFAULT_EVAL_MODEL));
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  try {
    const { items, task } = await loadItems(values, loaded);
    const manifest = makeManifest(
      { fileName: loaded.info.fileName, sizeBytes: loaded.info.sizeBytes },
      task,
      items,
      conditions,
      chunkTokens,
      tuning,
    );
    const earlier = values.resume ? await readManifest(manifestPath) : null;
    const mismatch = earlier && manifestMismatch(earlier, manifest);
    if (mismatch) invalid(`${out} holds another run (${mismatch}); use the same options, or another --out`);
    await mkdir(out, { recursive: true });
    if (!earlier) await writeManifest(manifestPath, manifest);

    const needsProfile = conditions.some((c) => methodRegistry.find((m) => m.name === c.method)?.needsProfile);
    const probe = probeAvailability(llama);
    let profile: CalibrationProfile | undefined;
    if (needsProfile && probe.available) profile = await profileFor(loaded, resolve(values["data-dir"] ?? out), values);
    else if (needsProfile && !probe.available)
      process.stderr.write(`no calibration (${probe.reason}): head-guided methods fall back\n`);
    if (profile) process.stderr.write(`${profileSummary(profile)}\n`);

    const log = await ResultsLog.open(resultsPath);
    process.stderr.write(
      `${items.length} items x ${conditions.length} conditions on ${loaded.info.fileName} (${llama.gpu || "CPU"}); ` +
        `${log.size} already done\n`,
    );
    let stopped = false;
    try {
      await runEvaluation(loaded, items, conditions, log, {
        profile,
        chunkTokens,
        tuning,
        sharePrefill: !values["prefill-each"],
        signal: controller.signal,
        onProgress: progressWriter(process.stderr),
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      stopped = true;
    }
    process.stderr.write("\n");

    const results = log.results();
    const summaries = summarizeConditions(results, conditions);
    const table = resultsTable(summaries, conditions);
    const figures = await writeFigures(out, results, conditions, loaded.info.name);
    await writeJsonAtomic(join(out, "summary.json"), {
      model: manifest.model,
      task,
      items: items.length,
      complete: !stopped && log.size === items.length * conditions.length,
      profile: profile
        ? { semanticHeads: profile.semanticHeads, layerWeights: profile.layerWeights, createdAt: profile.createdAt }
        : null,
      conditions: summaries,
    });
    await writeFileAtomic(join(out, "table.md"), `${table}\n`);
    output.write(`${table}\n\n`);
    output.write(`results: ${resultsPath}\npictures: ${figures.map((f) => basename(f)).join(", ")}\n`);
    if (stopped)
      output.write(`stopped after ${log.size} of ${items.length * conditions.length} trials; continue with --resume\n`);
  } finally {
    process.off("SIGINT", onInterrupt);
    await loaded.dispose();
  }
}
