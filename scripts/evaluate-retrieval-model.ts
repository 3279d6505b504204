/**
 * Measures the retrieval demo model through node-llama-cpp (CPU, flash attention off):
 * exact-answer accuracy by length and depth on held-out code-lookup prompts, parity with the
 * TypeScript reference forward, and each head's attention on the asked value.
 *
 * Usage: npm run evaluate:retrieval-model -- [--model path] [--quick] [--parity-only] [--out results.json]
 * Prints markdown tables for the model card; --out also writes the figures as JSON.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { getLlama, type LlamaModel } from "node-llama-cpp";
import { makeCodeLookupPrompt } from "../src-main/tasks/code-lookup-task";
import { retrievalCircuitWeights, RETRIEVAL_HEADS, RETRIEVAL_MODEL_FILE } from "../test/models/retrieval-circuit";
import { greedyAnswer, parityOnTask, RETRIEVING_THRESHOLD, retrievingHeads } from "../test/models/retrieval-evaluation";


const { values: args } = parseArgs({
  options: {
    model: { type: "string", default: RETRIEVAL_MODEL_FILE },
    quick: { type: "boolean", default: false },
    "parity-only": { type: "boolean", default: false },
    out: { type: "string" },
  },
});

/** Held-out seeds: the tests use seeds below 10 000. */
const EVALUATION_SEED = 1_000_000;
const DEPTHS = [0, 0.25, 0.5, 0.75, 1];
const scale = args.quick ? 0.1 : 1;
const plan = {
  headline: { length: 2048, prompts: Math.ceil(200 * scale) },
  grid: [
    { length: 512, perDepth: Math.ceil(20 * scale) },
    { length: 1024, perDepth: Math.ceil(20 * scale) },
    { length: 2048, perDepth: Math.ceil(20 * scale) },
    { length: 4096, perDepth: Math.ceil(10 * scale) },
  ],
  parity: { length: 2048, prompts: Math.ceil(50 * scale) },
};

/** Prompt text length for a context of `tokens` tokens: BOS, the prompt, the longest answer and its ".". */
const promptLength = (tokens: number): number => tokens - 1 - 7;

async function accuracy(model: LlamaModel, length: number, seeds: number[], depth?: number): Promise<number> {
  const context = await model.createContext({ contextSize: length, flashAttention: false });
  try {
    const sequence = context.getSequence();
    let correct = 0;
    for (const seed of seeds) {
      const task = makeCodeLookupPrompt({ seed, length: promptLength(length), depth });
      if ((await greedyAnswer(sequence, task)).correct) correct++;
    }
    return correct;
  } finally {
    await context.dispose();
  }
}

const range = (start: number, count: number): number[] => Array.from({ length: count }, (_, i) => start + i);
const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;

const llama = await getLlama({ gpu: false });
const model = await llama.loadModel({ modelPath: args.model! });
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;

const measureAccuracy = !args["parity-only"];
const { length: headlineLength, prompts: headlinePrompts } = plan.headline;
const headlineCorrect = measureAccuracy ? await accuracy(model, headlineLength, range(EVALUATION_SEED, headlinePrompts)) : 0;
if (measureAccuracy) console.log(`headline: ${headlineCorrect}/${headlinePrompts} at ${headlineLength} tokens (${elapsed()})`);

const grid: { length: number; depth: number; correct: number; prompts: number }[] = [];
for (const { length, perDepth } of measureAccuracy ? plan.grid : []) {
  for (const [index, depth] of DEPTHS.entries()) {
    const seeds = range(EVALUATION_SEED + 100_000 * (index + 1) + length, perDepth);
    grid.push({ length, depth, correct: await accuracy(model, length, seeds, depth), prompts: perDepth });
  }
  console.log(`grid: ${length} done (${elapsed()})`);
}

const weights = retrievalCircuitWeights();
const parityContext = await model.createContext({ contextSize: plan.parity.length, flashAttention: false });
const paritySequence = parityContext.getSequence();
const { layers, heads } = weights.shape;
const attentionSum = Array.from({ length: layers }, () => new Array<number>(heads).fill(0));
const questionSum = Array.from({ length: layers }, () => new Array<number>(heads).fill(0));
let positions = 0;
let disagreements = 0;
let largestDifference = 0;
for (const seed of range(EVALUATION_SEED + 900_000, plan.parity.prompts)) {
  const task = makeCodeLookupPrompt({ seed, length: promptLength(plan.parity.length) });
  const result = await parityOnTask(paritySequence, weights, task);
  positions += result.positions;
  disagreements += result.argMaxDisagreements;
  largestDifference = Math.max(largestDifference, result.maxLogitDifference);
  result.answerAttention.forEach((row, l) => row.forEach((mass, h) => (attentionSum[l][h] += mass)));
  result.questionAttention.forEach((row, l) => row.forEach((mass, h) => (questionSum[l][h] += mass)));
}
await parityContext.dispose();
const answerAttention = attentionSum.map((row) => row.map((mass) => mass / plan.parity.prompts));
const questionAttention = questionSum.map((row) => row.map((mass) => mass / plan.parity.prompts));
console.log(`parity: ${plan.parity.prompts} prompts (${elapsed()})`);

const lines: string[] = [];
if (measureAccuracy) {
  lines.push(`## Accuracy (greedy, exact answer, full cache)`, ``);
  lines.push(`${headlineCorrect}/${headlinePrompts} (${percent(headlineCorrect, headlinePrompts)}) at ${headlineLength} tokens, random depths.`, ``);
  lines.push(`| length | ${DEPTHS.map((depth) => `depth ${depth}`).join(" | ")} | all |`);
  lines.push(`|---|${DEPTHS.map(() => "---").join("|")}|---|`);
}
for (const { length } of measureAccuracy ? plan.grid : []) {
  const cells = grid.filter((cell) => cell.length === length);
  const correct = cells.reduce((sum, cell) => sum + cell.correct, 0);
  const prompts = cells.reduce((sum, cell) => sum + cell.prompts, 0);
  lines.push(`| ${length} | ${cells.map((cell) => `${cell.correct}/${cell.prompts}`).join(" | ")} | ${percent(correct, prompts)} |`);
}
lines.push(...(measureAccuracy ? [``] : []), `## Parity with the TypeScript reference forward`, ``);
lines.push(
  `${plan.parity.prompts} prompts at ${plan.parity.length} tokens, every position (prompt and answer steps): ` +
    `${positions} positions, arg-max disagreements ${disagreements}, largest |logit difference| ${largestDifference.toExponential(2)}.`,
);
lines.push(``, `## Attention on the asked value when the answer is produced (mean over answer steps and prompts)`, ``);
lines.push(`| layer | ${range(0, heads).map((h) => `H${h}`).join(" | ")} |`);
lines.push(`|---|${range(0, heads).map(() => "---").join("|")}|`);
answerAttention.forEach((row, l) => lines.push(`| ${l} | ${row.map((mass) => mass.toFixed(3)).join(" | ")} |`));
const found = retrievingHeads(answerAttention);
lines.push(``, `Heads above ${RETRIEVING_THRESHOLD}: ${found.map(([l, h]) => `L${l}H${h}`).join(", ")} (circuit: ${RETRIEVAL_HEADS.map(([l, h]) => `L${l}H${h}`).join(", ")}).`);
lines.push(``, `## Attention on the asked value and its "." from the question's last 3 tokens ("is "), mean over prompts`, ``);
lines.push(`| layer | ${range(0, heads).map((h) => `H${h}`).join(" | ")} |`);
lines.push(`|---|${range(0, heads).map(() => "---").join("|")}|`);
questionAttention.forEach((row, l) => lines.push(`| ${l} | ${row.map((mass) => mass.toFixed(3)).join(" | ")} |`));
console.log(lines.join("\n"));

if (args.out) {
  const results = measureAccuracy ? { headline: { length: headlineLength, correct: headlineCorrect, prompts: headlinePrompts }, grid } : {};
  const parity = { prompts: plan.parity.prompts, positions, disagreements, largestDifference, answerAttention, questionAttention };
  await writeFile(args.out, JSON.stringify({ ...results, parity }, null, 2) + "\n");
}
await model.dispose();
