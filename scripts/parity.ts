/**
 * Parity of the app's captured attention with the independent reference (reference/, numpy + gguf)
 * on the real test models: 3 prompts of R-intro.pdf x 512, 1,024 and 2,048 tokens, each with a
 * masked twin. Prints max |difference| per run and kind of layer; exit code 1 past the tolerance.
 *
 *   npm run parity -- [--models smollm2-135m-instruct,gemma-3-270m[,qwen2.5-coder-0.5b-instruct]] [--prompts 3] [--lengths 512,1024,2048]
 *                     [--weights F32|quantised] [--kv-cache F32|F16] [--tolerance 1e-3] [--out .cache/parity]
 *
 * --weights F32 (default): the model dequantised to an all-F32 GGUF, so the reference and llama.cpp
 * compute with the same numbers; quantised: the fetched file (llama.cpp then rounds activations to
 * 8 bits before each quantised matmul). --kv-cache F32 (default) or F16 (the app's own cache type):
 * see reference/README.md for what each costs in agreement.
 */
import { PARITY_MODELS, runParity } from "./parity/run-parity";
import { referencePython } from "./parity/reference-python";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const defaults = PARITY_MODELS.filter((model) => !model.onRequest).map((model) => model.id);
const ids = option("models", defaults.join(",")).split(",");
const promptCount = Number(option("prompts", "3"));
const lengths = option("lengths", "512,1024,2048").split(",").map(Number);
const weights = option("weights", "F32");
const kvCache = option("kv-cache", "F32");
const tolerance = Number(option("tolerance", "1e-3"));
const outDir = option("out", ".cache/parity");
if (weights !== "F32" && weights !== "quantised") throw new Error(`--weights must be F32 or quantised, not ${weights}`);
if (kvCache !== "F32" && kvCache !== "F16") throw new Error(`--kv-cache must be F32 or F16, not ${kvCache}`);

const found = referencePython();
if ("missing" in found) {
  console.error(`error: ${found.missing}`);
  process.exit(1);
}
let passed = true;
for (const id of ids) {
  const model = PARITY_MODELS.find((candidate) => candidate.id === id);
  if (!model) throw new Error(`no parity model ${id} (${PARITY_MODELS.map((m) => m.id).join(", ")})`);
  const started = Date.now();
  const result = await runParity({
    python: found.python,
    model,
    prompts: Array.from({ length: promptCount }, (_, i) => i),
    lengths,
    weights,
    kvCache,
    tolerance,
    outDir,
    echo: true,
  });
  const worst = Math.max(0, ...result.figures.flatMap((figure) => Object.values(figure.maxAbsDifference)));
  const worstNext = Math.max(0, ...result.figures.map((figure) => figure.nextTokenDifference));
  console.log(
    `${model.id} (${weights} weights, ${kvCache} cache): largest max |dp| ${worst.toExponential(2)} in attention, ` +
      `${worstNext.toExponential(2)} in next-token probabilities over ${result.figures.length} runs` +
      ` (attention tolerance ${tolerance}, next-token 2e-3), ${((Date.now() - started) / 1000).toFixed(0)} s: ${result.passed ? "PASS" : "FAIL"}`,
  );
  passed &&= result.passed;
}
process.exit(passed ? 0 : 1);
