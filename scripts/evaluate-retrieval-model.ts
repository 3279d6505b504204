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
import { RETRIEVAL_MODEL_FILE, retrievalCircuitWeights } from "../test/models/retrieval-circuit";
import { RETRIEVAL_HEADS } from "../test/models/retrieval-circuit-plan";
import {
  greedyAnswer,
  PARITY_LOGITS,
  parityOnTask,
  RETRIEVING_THRESHOLD,
  retrievingHeads,
} from "../test/models/retrieval-evaluation";

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

interface AccuracyResults {
  headline: { length: number; correct: number; prompts: number };
  grid: { length: number; depth: number; correct: number; prompts: number }[];
}

/** Exact-answer accuracy at the headline length and on the length x depth grid. */
async function measureAccuracy(): Promise<AccuracyResults> {
  const { length, prompts } = plan.headline;
  const correct = await accuracy(model, length, range(EVALUATION_SEED, prompts));
  console.log(`headline: ${correct}/${prompts} at ${length} tokens (${elapsed()})`);
  const grid: AccuracyResults["grid"] = [];
  for (const { length: gridLength, perDepth } of plan.grid) {
    for (const [index, depth] of DEPTHS.entries()) {
      const seeds = range(EVALUATION_SEED + 100_000 * (index + 1) + gridLength, perDepth);
      grid.push({
        length: gridLength,
        depth,
        correct: await accuracy(model, gridLength, seeds, depth),
        prompts: perDepth,
      });
    }
    console.log(`grid: ${gridLength} done (${elapsed()})`);
  }
  return { headline: { length, correct, prompts }, grid };
}

function accuracyLines({ headline, grid }: AccuracyResults): string[] {
  const lines = [`## Accuracy (greedy, exact answer, full cache)`, ``];
  lines.push(
    `${headline.correct}/${headline.prompts} (${percent(headline.correct, headline.prompts)}) at ${headline.length} tokens, random depths.`,
    ``,
  );
  lines.push(`| length | ${DEPTHS.map((depth) => `depth ${depth}`).join(" | ")} | all |`);
  lines.push(`|---|${DEPTHS.map(() => "---").join("|")}|---|`);
  for (const { length } of plan.grid) {
    const cells = grid.filter((cell) => cell.length === length);
    const correct = cells.reduce((sum, cell) => sum + cell.correct, 0);
    const prompts = cells.reduce((sum, cell) => sum + cell.prompts, 0);
    lines.push(
      `| ${length} | ${cells.map((cell) => `${cell.correct}/${cell.prompts}`).join(" | ")} | ${percent(correct, prompts)} |`,
    );
  }
  return [...lines, ``];
}

/** A [layer][head] matrix as a markdown table. */
function headTable(matrix: number[][]): string[] {
  const heads = matrix[0].length;
  return [
    `| layer | ${range(0, heads)
      .map((h) => `H${h}`)
      .join(" | ")} |`,
    `|---|${range(0, heads)
      .map(() => "---")
      .join("|")}|`,
    ...matrix.map((row, l) => `| ${l} | ${row.map((mass) => mass.toFixed(3)).join(" | ")} |`),
  ];
}

const accuracyResults = args["parity-only"] ? undefined : await measureAccuracy();

const weights = retrievalCircuitWeights();
const parityContext = await model.createContext({ contextSize: plan.parity.length, flashAttention: false });
const paritySequence = parityContext.getSequence();
const { layers, heads } = weights.shape;
const attentionSum = Array.from({ length: layers }, () => new Array<number>(heads).fill(0));
const questionSum = Array.from({ length: layers }, () => new Array<number>(heads).fill(0));
let positions = 0;
let disagreements = 0;
let nearTies = 0;
let largestDifference = 0;
for (const seed of range(EVALUATION_SEED + 900_000, plan.parity.prompts)) {
  const task = makeCodeLookupPrompt({ seed, length: promptLength(plan.parity.length) });
  const result = await parityOnTask(paritySequence, weights, task);
  positions += result.positions;
  disagreements += result.argMaxDisagreements;
  nearTies += result.nearTies;
  largestDifference = Math.max(largestDifference, result.maxLogitDifference);
  result.answerAttention.forEach((row, l) => {
    row.forEach((mass, h) => {
      attentionSum[l][h] += mass;
    });
  });
  result.questionAttention.forEach((row, l) => {
    row.forEach((mass, h) => {
      questionSum[l][h] += mass;
    });
  });
}
await parityContext.dispose();
const answerAttention = attentionSum.map((row) => row.map((mass) => mass / plan.parity.prompts));
const questionAttention = questionSum.map((row) => row.map((mass) => mass / plan.parity.prompts));
console.log(`parity: ${plan.parity.prompts} prompts (${elapsed()})`);

const lines: string[] = accuracyResults ? accuracyLines(accuracyResults) : [];
lines.push(`## Parity with the TypeScript reference forward`, ``);
lines.push(
  `${plan.parity.prompts} prompts at ${plan.parity.length} tokens, every position (prompt and answer steps): ` +
    `${positions} positions, arg-max disagreements ${disagreements} (and ${nearTies} near ties, within ${PARITY_LOGITS} in the reference), ` +
    `largest |logit difference| ${largestDifference.toExponential(2)}.`,
);
lines.push(``, `## Attention on the asked value when the answer is produced (mean over answer steps and prompts)`, ``);
lines.push(...headTable(answerAttention));
const found = retrievingHeads(answerAttention);
lines.push(
  ``,
  `Heads above ${RETRIEVING_THRESHOLD}: ${found.map(([l, h]) => `L${l}H${h}`).join(", ")} (circuit: ${RETRIEVAL_HEADS.map(([l, h]) => `L${l}H${h}`).join(", ")}).`,
);
lines.push(
  ``,
  `## Attention on the asked value and its "." from the question's last 3 tokens ("is "), mean over prompts`,
  ``,
);
lines.push(...headTable(questionAttention));
console.log(lines.join("\n"));

if (args.out) {
  const parity = {
    prompts: plan.parity.prompts,
    positions,
    disagreements,
    nearTies,
    largestDifference,
    answerAttention,
    questionAttention,
  };
  await writeFile(args.out, JSON.stringify({ ...accuracyResults, parity }, null, 2) + "\n");
}
await model.dispose();
