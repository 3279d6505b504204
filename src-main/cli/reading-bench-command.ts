import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { DEFAULT_COMPRESSION, METHOD_NAMES } from "../api/compression-settings";
import { bundledProfilesDataDir, findProfile } from "../calibration";
import { DEFAULT_RESERVOIR_MULTIPLE } from "../compresskv";
import type { MethodName } from "../compresskv/method";
import { readDocument } from "../documents/read-document";
import { getRuntime } from "../engine/llama-runtime";
import { LoadedModel } from "../engine/loaded-model";
import { defaultDataDir } from "../storage/data-dir";
import { runReadingBench } from "../../bench/engine/reading-bench";
import { readingReport } from "../../bench/engine/reading-report";

export const READING_BENCH_USAGE =
  `Usage: npm run bench -- --reading --model <model.gguf> --doc <document.pdf|.txt|.md> [--lengths 4096,8192,16384]\n` +
  `         [--budget CELLS] [--reservoir MULTIPLE] [--method NAME] [--chunk TOKENS] [--answer-tokens N] [--out results.json]\n` +
  `  Time to the first answer token of two questions, one after the other, per mode: full cache, question-aware\n` +
  `  re-read, question-agnostic, reservoir; the document is the first N tokens of --doc at each length.`;

const QUESTIONS: [string, string] = ["What does the function lm do?", "How do you quit R?"];

function positiveIntegers(text: string, option: string): number[] {
  const numbers = text.split(",").map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1))
    throw new AppError("invalid-request", `${option} takes positive whole numbers`);
  return numbers;
}

/** `bench --reading`: time to first token of question 1 and question 2 in each reading mode; prints ratios, writes JSON. */
export async function readingBenchCommand(
  args: string[],
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      reading: { type: "boolean" },
      model: { type: "string" },
      doc: { type: "string" },
      lengths: { type: "string" },
      budget: { type: "string" },
      reservoir: { type: "string" },
      method: { type: "string" },
      chunk: { type: "string" },
      "answer-tokens": { type: "string" },
      "data-dir": { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.model || !values.doc) throw new AppError("invalid-request", READING_BENCH_USAGE);
  const lengths = positiveIntegers(values.lengths ?? "4096,8192,16384", "--lengths");
  const [budget] = positiveIntegers(values.budget ?? "512", "--budget");
  const [chunkTokens] = positiveIntegers(values.chunk ?? "512", "--chunk");
  const [answerTokens] = positiveIntegers(values["answer-tokens"] ?? "8", "--answer-tokens");
  const reservoirMultiple = Number(values.reservoir ?? DEFAULT_RESERVOIR_MULTIPLE);
  if (!(reservoirMultiple >= 1)) throw new AppError("invalid-request", "--reservoir takes a multiple of 1 or more");
  const method = (values.method ?? DEFAULT_COMPRESSION.method) as MethodName;
  if (!(METHOD_NAMES as readonly string[]).includes(method))
    throw new AppError("invalid-request", `--method takes ${METHOD_NAMES.join(", ")}`);
  if (lengths.some((length) => length <= budget))
    throw new AppError("invalid-request", `every length must exceed the budget (${budget})`);

  const documentPath = resolve(values.doc);
  const document = await readDocument(basename(documentPath), new Uint8Array(await readFile(documentPath)));
  const llama = await getRuntime();
  const modelPath = resolve(values.model);
  const loaded = await LoadedModel.load(llama, modelPath);
  const dirs = [resolve(values["data-dir"] ?? defaultDataDir()), bundledProfilesDataDir(resolve("resources"))];
  const profile = await findProfile(dirs, modelPath);
  const loadAverage = { before: loadavg()[0], after: 0 };
  output.write(
    `${loaded.info.fileName} on ${basename(documentPath)}: budget ${budget} cells, reservoir ${reservoirMultiple} x budget, ` +
      `${method}${profile ? " (calibrated)" : ""}, chunks of ${chunkTokens}, ${answerTokens} answer tokens\n` +
      `machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GiB, ` +
      `GPU ${llama.gpu || "none"}, load average ${loadAverage.before.toFixed(1)}\n\n`,
  );
  try {
    const started = performance.now();
    const measurements = await runReadingBench(loaded, document.text, {
      lengths,
      budget,
      reservoirMultiple,
      chunkTokens,
      method,
      profile,
      questions: QUESTIONS,
      answerTokens,
      onPhase: (length, phase) =>
        process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${length} tokens: ${phase}\n`),
    });
    loadAverage.after = loadavg()[0];
    output.write(
      `${readingReport(measurements)}\n\nload average (1 min) before ${loadAverage.before.toFixed(1)}, after ${loadAverage.after.toFixed(1)}\n`,
    );
    const out = resolve(values.out ?? join("test-output", "bench", "reading-bench.json"));
    await mkdir(dirname(out), { recursive: true });
    const report = {
      benchmark: "reading",
      model: loaded.info,
      document: basename(documentPath),
      budget,
      reservoirMultiple,
      method,
      calibrated: profile !== undefined,
      chunkTokens,
      answerTokens,
      questions: QUESTIONS,
      loadAverage,
      measurements,
    };
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    output.write(`\nJSON: ${out}\n`);
  } finally {
    await loaded.dispose();
  }
}
