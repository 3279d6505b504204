import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { CodeLookupPrompt } from "../../src-main/tasks/code-lookup-task";
import { BOS_ID, BYTE_TOKEN_COUNT, byteTokens, VOCABULARY_SIZE } from "./byte-vocabulary";
import { argMax, llamaCppLogProbabilities, maxLogitDifference } from "./llama-cpp-logits";
import type { LlamaWeights } from "./llama-model";
import { referenceForward } from "./reference-forward";

/** Measurements of the code-lookup task on a byte-level model: accuracy, parity and head attention. */

/** BOS, then the prompt's bytes: token i + 1 is character i. */
export function promptTokens(task: CodeLookupPrompt): number[] {
  return [BOS_ID, ...byteTokens(task.prompt)];
}

export interface GreedyAnswer {
  text: string;
  correct: boolean;
}

/** Greedy continuation through node-llama-cpp, up to the first "." (or the answer's length + 1 tokens). */
export async function greedyAnswer(sequence: LlamaContextSequence, task: CodeLookupPrompt): Promise<GreedyAnswer> {
  await sequence.clearHistory();
  let text = "";
  const iterator = sequence.evaluate(promptTokens(task) as Token[], { temperature: 0 });
  for await (const token of iterator) {
    if (token >= BYTE_TOKEN_COUNT) break;
    const character = String.fromCharCode(token);
    if (character === "." || text.length > task.answer.length) break;
    text += character;
  }
  return { text, correct: text === task.answer };
}

export interface ParityResult {
  /** Positions compared (every prompt token and every answer step). */
  positions: number;
  /** Positions where the two pick different next tokens and the reference's choice leads by more than a near tie. */
  argMaxDisagreements: number;
  /** Positions where they pick different tokens the reference holds within PARITY_LOGITS of each other. */
  nearTies: number;
  maxLogitDifference: number;
  /** [layer][head]: mean attention on the asked value's tokens over the answer steps (reference forward). */
  answerAttention: number[][];
  /** [layer][head]: mean attention on the asked value and its "." from the question's last 3 tokens ("is "). */
  questionAttention: number[][];
}

/**
 * How far llama.cpp's next-token logits (relative to its top token) may lie from the reference's, and so
 * how close two tokens must be in the reference to count as tied. llama.cpp's F16 kernels depend on the
 * CPU: under 1e-2 on an AMD EPYC, 1.2e-2 on an Intel Xeon with AVX512-FP16, which also tied two tokens
 * the reference put 2.6e-3 apart. A wrong mask or position moves logits by whole units.
 */
export const PARITY_LOGITS = 2e-2;

/**
 * Runs the prompt followed by its answer (teacher forcing) through node-llama-cpp and through the
 * reference forward with llama.cpp's F16 roundings, and compares the next-token logits everywhere.
 */
export async function parityOnTask(
  sequence: LlamaContextSequence,
  weights: LlamaWeights,
  task: CodeLookupPrompt,
): Promise<ParityResult> {
  const tokens = [...promptTokens(task), ...byteTokens(task.answer)];
  await sequence.clearHistory();
  const llamaCpp = await llamaCppLogProbabilities(sequence, tokens, VOCABULARY_SIZE);
  // The question's last 3 rows, the last of which is also the first answer step (rows are captured once each).
  const questionRows = questionEnd(task);
  const reference = referenceForward(weights, tokens, {
    emulateF16: { weights: true, kvCache: true },
    captureAttention: true,
    attentionQueries: [...questionRows.slice(0, -1), ...answerSteps(task)],
  });
  let disagreements = 0;
  let nearTies = 0;
  let largest = 0;
  llamaCpp.forEach((row, i) => {
    const expected = reference.logits[i];
    const [ours, theirs] = [argMax(expected), argMax(row)];
    if (ours !== theirs) {
      if (expected[ours] - expected[theirs] <= PARITY_LOGITS) nearTies++;
      else disagreements++;
    }
    largest = Math.max(largest, maxLogitDifference(reference.logits[i], row));
  });
  return {
    positions: tokens.length,
    argMaxDisagreements: disagreements,
    nearTies,
    maxLogitDifference: largest,
    answerAttention: attentionOnAnswer(reference.attention!, task, tokens.length, questionRows.length - 1),
    questionAttention: meanMass(reference.attention!, tokens.length, 0, questionRows.length, [
      task.answerSpan.start + 1,
      task.answerSpan.end + 2,
    ]),
  };
}

/** The question's last 3 tokens ("is " in "... The code of Bako is "). */
export function questionEnd(task: CodeLookupPrompt): number[] {
  const last = task.prompt.length; // BOS shifts characters by one
  return [last - 2, last - 1, last];
}

/** [layer][head] mean mass of the captured rows [firstRow, firstRow + rows) on the keys [start, end). */
function meanMass(
  attention: Float32Array[][],
  keys: number,
  firstRow: number,
  rows: number,
  [start, end]: [number, number],
): number[][] {
  return attention.map((heads) =>
    heads.map((captured) => {
      let mass = 0;
      for (let row = firstRow; row < firstRow + rows; row++) {
        for (let key = start; key < end; key++) mass += captured[row * keys + key];
      }
      return mass / rows;
    }),
  );
}

/** Token rows whose next token is an answer digit: the last prompt token, then each digit but the last. */
export function answerSteps(task: CodeLookupPrompt): number[] {
  const last = task.prompt.length; // BOS shifts characters by one
  return Array.from({ length: task.answer.length }, (_, i) => last + i);
}

/** [layer][head] mean attention mass on the asked value's tokens, from the captured rows of the answer steps (from `firstRow`). */
export function attentionOnAnswer(
  attention: Float32Array[][],
  task: CodeLookupPrompt,
  keys: number,
  firstRow = 0,
): number[][] {
  return meanMass(attention, keys, firstRow, task.answer.length, [task.answerSpan.start + 1, task.answerSpan.end + 1]);
}

/** The reference forward's attention map for one task, without node-llama-cpp. */
export function referenceAnswerAttention(weights: LlamaWeights, task: CodeLookupPrompt): number[][] {
  const tokens = [...promptTokens(task), ...byteTokens(task.answer)];
  const { attention } = referenceForward(weights, tokens, {
    emulateF16: { weights: true, kvCache: true },
    captureAttention: true,
    attentionQueries: answerSteps(task),
    outputs: [],
  });
  return attentionOnAnswer(attention!, task, tokens.length);
}

/** A head retrieves when it puts more than this share of its attention on the asked value while answering. */
export const RETRIEVING_THRESHOLD = 0.9;

/** Heads whose mean attention on the asked value exceeds `threshold`, as [layer, head]. */
export function retrievingHeads(answerAttention: number[][], threshold = RETRIEVING_THRESHOLD): [number, number][] {
  const heads: [number, number][] = [];
  answerAttention.forEach((row, layer) => {
    row.forEach((mass, head) => {
      if (mass > threshold) heads.push([layer, head]);
    });
  });
  return heads;
}
