/**
 * Prefill time of a generated ~100M-parameter llama (random F16 weights) with flash attention on,
 * off, and off while the probe captures the observation window (4 heads per layer, every layer, the
 * last 8 tokens, as CompressKV scores). Prints a table with the ratios and one JSON line, and writes
 * the JSON to test-output/bench/probe-prefill.json.
 *
 *   npm run bench:probe                          (2k, 4k and 8k tokens, one run each)
 *   npm run bench:probe -- --lengths 1024,2048 --repeats 2
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getLlama, LlamaLogLevel, type LlamaModel, type Token } from "node-llama-cpp";
import { AttentionProbe, probeAvailability } from "../src-main/engine/probe";
import { BENCH_MODEL_SHAPE, benchModelPath, parameterCount } from "./engine/bench-model";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const lengths = option("lengths", "2048,4096,8192").split(",").map(Number);
const repeats = Number(option("repeats", "1"));
const WINDOW = 8;
const CAPTURED_HEADS = 4;

type Mode = "flashOn" | "flashOff" | "flashOffCapture";

async function prefillSeconds(model: LlamaModel, tokens: Token[], mode: Mode): Promise<number> {
  const context = await model.createContext({ contextSize: tokens.length + 256, flashAttention: mode === "flashOn" });
  try {
    const sequence = context.getSequence();
    const started = performance.now();
    if (mode === "flashOffCapture") {
      const layers = Array.from({ length: BENCH_MODEL_SHAPE.layers }, (_, layer) => ({
        layer,
        heads: Array.from({ length: CAPTURED_HEADS }, (_, k) => (layer + 3 * k) % BENCH_MODEL_SHAPE.heads),
      }));
      await AttentionProbe.attach(context).evaluateWindow(sequence, tokens, { layers, window: WINDOW });
    } else {
      await sequence.evaluateWithoutGeneratingNewTokens(tokens);
    }
    return (performance.now() - started) / 1000;
  } finally {
    await context.dispose();
  }
}

// The build scripts/setup.mjs made (CPU here; CUDA, Vulkan or Metal where it chose one).
const llama = await getLlama("lastBuild", { logLevel: LlamaLogLevel.error });
const availability = probeAvailability(llama);
if (!availability.available) throw new Error(availability.reason);
const model = await llama.loadModel({ modelPath: await benchModelPath(join(".cache", "bench")) });
console.log(
  `model: ${(parameterCount(BENCH_MODEL_SHAPE) / 1e6).toFixed(0)}M parameters (F16), gpu: ${llama.gpu}, threads: ${llama.cpuMathCores}`,
);

// Warm-up: first evaluation pays for thread start-up and page faults.
await prefillSeconds(
  model,
  Array.from({ length: 256 }, (_, i) => (i % 250) as Token),
  "flashOff",
);

const modes: Mode[] = ["flashOn", "flashOff", "flashOffCapture"];
const results: { tokens: number; seconds: Record<Mode, number>; offOverOn: number; captureOverOff: number }[] = [];
for (const length of lengths) {
  const tokens = Array.from({ length }, (_, i) => ((i * 131 + 17) % 256) as Token);
  const seconds = {} as Record<Mode, number>;
  for (const mode of modes) {
    let best = Infinity;
    for (let r = 0; r < repeats; r++) best = Math.min(best, await prefillSeconds(model, tokens, mode));
    seconds[mode] = best;
  }
  const row = {
    tokens: length,
    seconds,
    offOverOn: seconds.flashOff / seconds.flashOn,
    captureOverOff: seconds.flashOffCapture / seconds.flashOff,
  };
  results.push(row);
  console.log(
    `${String(length).padStart(6)} tokens  flash on ${seconds.flashOn.toFixed(2)} s  off ${seconds.flashOff.toFixed(2)} s` +
      `  off+capture ${seconds.flashOffCapture.toFixed(2)} s  off/on ${row.offOverOn.toFixed(2)}  capture/off ${row.captureOverOff.toFixed(3)}`,
  );
}
await model.dispose();

const report = {
  benchmark: "probe-prefill",
  parameters: parameterCount(BENCH_MODEL_SHAPE),
  shape: BENCH_MODEL_SHAPE,
  gpu: llama.gpu,
  capture: { window: WINDOW, headsPerLayer: CAPTURED_HEADS, layers: BENCH_MODEL_SHAPE.layers },
  repeats,
  results,
};
await mkdir(join("test-output", "bench"), { recursive: true });
await writeFile(join("test-output", "bench", "probe-prefill.json"), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report));
