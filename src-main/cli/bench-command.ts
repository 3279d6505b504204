import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { getRuntime } from "../engine/llama-runtime";
import { LoadedModel } from "../engine/loaded-model";
import { probeAvailability } from "../engine/probe";
import { benchReport } from "../../bench/engine/bench-report";
import { runEngineBench } from "../../bench/engine/engine-bench";
import { READING_BENCH_USAGE, readingBenchCommand } from "./reading-bench-command";

export const DEFAULT_BENCH_LENGTHS = [2048, 4096, 8192];

export const BENCH_USAGE =
  `Usage: npm run bench -- [--model <model.gguf>] [--lengths 2048,4096,8192,16384] [--budget CELLS]\n` +
  `         [--decode-tokens N] [--chunk TOKENS] [--out results.json]\n` +
  `  Without --model, a ~104M-parameter random llama (F16) is generated once under .cache/bench/.\n` +
  `  Default lengths ${DEFAULT_BENCH_LENGTHS.join(", ")}; add 16384 for the full run (it is slow on a CPU).\n` +
  READING_BENCH_USAGE;

function positiveIntegers(text: string, option: string): number[] {
  const numbers = text.split(",").map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1))
    throw new AppError("invalid-request", `${option} takes positive whole numbers`);
  return numbers;
}

/** `bench`: prefill, capture, selection, removal, decoding, memory, side by side at each length; prints ratios, writes JSON. */
export async function benchCommand(args: string[], output: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (args.includes("--reading")) return readingBenchCommand(args, output);
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      lengths: { type: "string" },
      budget: { type: "string" },
      "decode-tokens": { type: "string" },
      chunk: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    output.write(`${BENCH_USAGE}\n`);
    return;
  }
  const lengths = values.lengths ? positiveIntegers(values.lengths, "--lengths") : DEFAULT_BENCH_LENGTHS;
  const [budget] = positiveIntegers(values.budget ?? "1024", "--budget");
  const [decodeTokens] = positiveIntegers(values["decode-tokens"] ?? "32", "--decode-tokens");
  const [chunkTokens] = positiveIntegers(values.chunk ?? "1024", "--chunk");
  if (lengths.some((length) => length <= budget))
    throw new AppError("invalid-request", `every length must exceed the budget (${budget})`);

  const llama = await getRuntime();
  const availability = probeAvailability(llama);
  if (!availability.available)
    throw new AppError("not-available", `the benchmark needs the attention probe: ${availability.reason}`);
  // The generated model is a development fixture: load its writer only when it is needed.
  const modelPath = values.model
    ? resolve(values.model)
    : await (await import("../../bench/engine/bench-model")).benchModelPath(resolve(".cache", "bench"));
  const loaded = await LoadedModel.load(llama, modelPath);
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    gpu: llama.gpu || "none",
    gpuDevices: llama.gpu ? await llama.getGpuDeviceNames() : [],
    threads: llama.cpuMathCores,
    platform: `${process.platform}-${process.arch}`,
    /** Other work on the machine skews the figures: the 1-minute load average before and after. */
    loadAverage: { before: loadavg()[0], after: 0 },
  };
  output.write(
    `${loaded.info.fileName}: ${loaded.info.layers} layers, ${loaded.info.heads} heads (${loaded.info.kvHeads} KV), ` +
      `${loaded.info.kvBytesPerToken} KV bytes per token\n` +
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, GPU ${machine.gpu}, load average ${machine.loadAverage.before.toFixed(1)}\n` +
      `budget ${budget} cells, ${decodeTokens} decoded tokens, CompressKV selection (synthetic profile), window 8\n\n`,
  );
  try {
    const started = performance.now();
    const measurements = await runEngineBench(loaded, {
      lengths,
      budget,
      decodeTokens,
      window: 8,
      chunkTokens,
      onPhase: (length, phase) =>
        process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${length} tokens: ${phase}\n`),
    });
    machine.loadAverage.after = loadavg()[0];
    output.write(
      `${benchReport(measurements)}\n\nload average (1 min) before ${machine.loadAverage.before.toFixed(1)}, after ${machine.loadAverage.after.toFixed(1)}\n`,
    );
    const out = resolve(values.out ?? join("test-output", "bench", "engine-bench.json"));
    await mkdir(dirname(out), { recursive: true });
    const report = {
      benchmark: "engine",
      model: loaded.info,
      machine,
      budget,
      decodeTokens,
      chunkTokens,
      measurements,
    };
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    output.write(`\nJSON: ${out}\n`);
  } finally {
    await loaded.dispose();
  }
}
