import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCodeLookupPrompt } from "../../src-main/tasks/code-lookup-task";
import { BOS_ID } from "../models/byte-vocabulary";
import { referenceForward } from "../models/reference-forward";
import { RETRIEVAL_MODEL_FILE, retrievalCircuitWeights, writeRetrievalModel } from "../models/retrieval-circuit";
import { isTextByte, tokenCodes } from "../models/retrieval-circuit-codes";
import { HEAD_ROLES, type HeadRole, RETRIEVAL_HEADS } from "../models/retrieval-circuit-plan";
import {
  greedyAnswer,
  PARITY_LOGITS,
  parityOnTask,
  promptTokens,
  retrievingHeads,
} from "../models/retrieval-evaluation";

const weights = retrievalCircuitWeights();
const sha256 = async (path: string): Promise<string> =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
/** Prompt characters for a context of `tokens`: BOS, the prompt, the longest answer (6 digits) and ".". */
const promptLength = (tokens: number): number => tokens - 8;

describe("the committed retrieval model", () => {
  it("is byte-identical to what make-retrieval-model writes", async () => {
    const directory = await mkdtemp(join(tmpdir(), "retrieval-model-"));
    try {
      const path = join(directory, "model.gguf");
      await writeRetrievalModel(path);
      expect(await sha256(path)).toBe(await sha256(RETRIEVAL_MODEL_FILE));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("retrieval model through node-llama-cpp (CPU)", () => {
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;

  beforeAll(async () => {
    const llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: RETRIEVAL_MODEL_FILE });
    context = await model.createContext({ contextSize: 2048, flashAttention: false });
    sequence = context.getSequence();
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
  });

  it("answers 10 code-lookup prompts of 2048 tokens exactly", async () => {
    const answers: string[] = [];
    const expected: string[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const task = makeCodeLookupPrompt({ seed, length: promptLength(2048) });
      answers.push((await greedyAnswer(sequence, task)).text);
      expected.push(task.answer);
    }
    expect(answers).toEqual(expected);
  });

  it("matches the reference forward everywhere, and retrieves with the heads the card names", async () => {
    for (const seed of [11, 12]) {
      const task = makeCodeLookupPrompt({ seed, length: promptLength(2048) });
      const result = await parityOnTask(sequence, weights, task);
      // Tokens the reference holds within a near tie may go either way with F16 kernels that vary by CPU.
      expect(result.argMaxDisagreements).toBe(0);
      expect(result.nearTies).toBeLessThanOrEqual(2);
      expect(result.maxLogitDifference).toBeLessThan(PARITY_LOGITS);
      expect(retrievingHeads(result.answerAttention)).toEqual(RETRIEVAL_HEADS);
    }
  });
});

describe("the other heads do what the circuit says (reference forward, 512 tokens)", () => {
  const task = makeCodeLookupPrompt({ seed: 21, length: 511 });
  const tokens = promptTokens(task);
  const n = tokens.length;
  let attention: Float32Array[][];
  beforeAll(() => {
    attention = referenceForward(weights, tokens, { captureAttention: true, outputs: [] }).attention!;
  });
  const isDigit = (token: number): boolean => token >= 48 && token <= 57;
  const firstDigit = tokens.findIndex(isDigit);
  const rows = Array.from({ length: n - 16 }, (_, i) => i + 16);

  /** Attention mass of query row `query` on the keys that `select` accepts. */
  const mass = (layer: number, head: number, query: number, select: (key: number) => boolean): number => {
    let sum = 0;
    for (let key = 0; key <= query; key++) if (select(key)) sum += attention[layer][head][query * n + key];
    return sum;
  };
  const headsWith = (role: HeadRole): [number, number][] =>
    HEAD_ROLES.flatMap((roles, layer) =>
      roles.flatMap((r, head) => (r === role ? [[layer, head] as [number, number]] : [])),
    );

  it("previous-token heads look exactly k tokens back", () => {
    const offsets = [1, 2, 3, 4];
    offsets.forEach((k, head) => {
      rows.forEach((t) => {
        expect(mass(0, head, t, (s) => s === t - k)).toBeGreaterThan(0.999);
      });
    });
    rows.forEach((t) => {
      expect(mass(1, 0, t, (s) => s === t - 5)).toBeGreaterThan(0.999);
    });
  });

  it("sink heads attend to BOS", () => {
    expect(tokens[0]).toBe(BOS_ID);
    for (const [layer, head] of headsWith("sink"))
      rows.forEach((t) => {
        expect(mass(layer, head, t, (s) => s === 0)).toBeGreaterThan(0.99);
      });
  });

  it("every-digit heads spread over the digits", () => {
    for (const [layer, head] of headsWith("every-digit")) {
      rows
        .filter((t) => t > firstDigit)
        .forEach((t) => {
          expect(mass(layer, head, t, (s) => isDigit(tokens[s]))).toBeGreaterThan(0.99);
        });
    }
  });

  it("uniform heads weigh every visible token alike", () => {
    for (const [layer, head] of headsWith("uniform")) {
      for (const t of [20, 200, n - 1]) expect(mass(layer, head, t, (s) => s === t)).toBeCloseTo(1 / (t + 1), 3);
    }
  });

  /** Token positions of each fact's value and the "." after it (BOS comes first). */
  const valueTokens = task.facts.map((fact) => {
    const start = fact.valueSpan.start + 1;
    return Array.from({ length: fact.valueSpan.end - fact.valueSpan.start + 1 }, (_, i) => start + i);
  });
  const [[carryLayer, carryHead]] = headsWith("word-carry");
  const [[previousWordLayer, previousWordHead]] = headsWith("previous-word-carry");
  const [[spanLayer, spanHead]] = headsWith("span-retrieval");

  it('the word-carry head takes every token of a value, and its ".", to the value\'s first digit', () => {
    for (const value of valueTokens)
      for (const t of value) expect(mass(carryLayer, carryHead, t, (s) => s === value[0])).toBeGreaterThan(0.999);
    // Elsewhere a token whose previous token is not a digit starts a word: it stays on itself.
    rows
      .filter((t) => !isDigit(tokens[t - 1]))
      .forEach((t) => {
        expect(mass(carryLayer, carryHead, t, (s) => s === t)).toBeGreaterThan(0.999);
      });
  });

  it("the previous-word-carry head takes each token to the nearest one at most 6 back that follows a space", () => {
    const space = 32;
    let checked = 0;
    for (const t of rows) {
      const nearest = [0, 1, 2, 3, 4, 5, 6].map((d) => t - d).find((s) => tokens[s - 1] === space);
      if (nearest === undefined) continue;
      expect(mass(previousWordLayer, previousWordHead, t, (s) => s === nearest)).toBeGreaterThan(0.999);
      checked++;
    }
    expect(checked).toBeGreaterThan(n / 2);
  });

  it('the span head marks the whole asked value from "is " after the name at the question\'s end', () => {
    const asked = valueTokens[task.askedFact];
    // "... The code of Bako is ": "i", "s" and the last space.
    for (const t of [n - 3, n - 2, n - 1]) {
      expect(mass(spanLayer, spanHead, t, (s) => asked.includes(s))).toBeGreaterThan(0.9);
      for (const s of asked) expect(mass(spanLayer, spanHead, t, (key) => key === s)).toBeGreaterThan(0.1);
    }
    // Rows that follow no name rest on BOS.
    expect(rows.filter((t) => mass(spanLayer, spanHead, t, (s) => s === 0) > 0.9).length).toBeGreaterThan(
      0.9 * rows.length,
    );
  });

  it("recency heads keep most of their attention on the last 32 tokens", () => {
    for (const [layer, head] of headsWith("recency")) {
      rows
        .filter((t) => t > 64)
        .forEach((t) => {
          expect(mass(layer, head, t, (s) => s > t - 32)).toBeGreaterThan(0.5);
        });
    }
  });
});

describe("retrieval circuit codes", () => {
  it("keeps the codes of any two text bytes apart (overlap at most 0.28)", () => {
    const codes = tokenCodes();
    const text = [...codes.keys()].filter(isTextByte);
    let largest = 0;
    for (const a of text) {
      for (const b of text) {
        if (a >= b) continue;
        largest = Math.max(largest, Math.abs(codes[a].reduce((sum, value, i) => sum + value * codes[b][i], 0)));
      }
    }
    expect(largest).toBeLessThanOrEqual(0.28);
  });
});
