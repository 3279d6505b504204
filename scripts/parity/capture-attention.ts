/**
 * Captures, through the app's engine runtime and attention probe, the attention rows of the last
 * query rows of real prompts (R-intro.pdf text read by the app's PDF reader), per layer and head,
 * for reference/parity.py to compare with its independent forward pass. One masked run per prompt:
 * some positions masked in one layer (probe.maskPositions) before the last rows are evaluated.
 *
 * Each run also keeps the app's next-token distribution after its last token. A model whose cache
 * the probe cannot read gets that distribution only.
 *
 * Files: <out>/captures.json (what was captured, token ids included) and one .f32 file per run
 * (little-endian float32, [row][layer][head][position]).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { readDocument } from "../../src-main/documents/read-document";
import { getRuntime } from "../../src-main/engine/llama-runtime";
import { modelShape } from "../../src-main/engine/model-shape";
import {
  AttentionProbe,
  contextProbeAvailability,
  type LayerHeads,
  type RowsCapture,
} from "../../src-main/engine/probe";

export const R_INTRO_PDF = "/usr/share/R/doc/manual/R-intro.pdf";
/** The pages the prompts start on: the introduction, vectors and arrays, statistical models. */
export const PROMPT_FIRST_PAGES = [8, 27, 54] as const;

export interface CaptureOptions {
  readonly modelPath: string;
  readonly outDir: string;
  /** Indices into PROMPT_FIRST_PAGES. */
  readonly prompts: readonly number[];
  readonly lengths: readonly number[];
  /** Query rows captured at the end of each prompt. */
  readonly window: number;
  readonly kvCache: "F32" | "F16";
  /** The layer masked in the masked runs, and how many positions it loses. */
  readonly maskedLayer: number;
  readonly maskedPositions: number;
}

/** One captured run, as captures.json lists it. */
export interface CapturedRun {
  readonly prompt: number;
  readonly firstPage: number;
  readonly length: number;
  readonly tokens: readonly number[];
  /** Position of the first captured query row; rows run to length - 1. */
  readonly fromRow: number;
  readonly layers: readonly number[];
  readonly heads: number;
  /** Length of each row: one past the largest position. */
  readonly n: number;
  /** Layer `layer` does not attend to `positions` from `fromRow` on; null: no mask. */
  readonly mask: { readonly layer: number; readonly positions: readonly number[] } | null;
  /** The .f32 file of the rows; null when the probe cannot read this model's cache. */
  readonly data: string | null;
  readonly next: NextTokens;
}

export interface CaptureFile {
  readonly model: string;
  readonly kvCache: "F32" | "F16";
  /** Why no attention was captured (the probe cannot read this context's cache); null: captured. */
  readonly probeUnavailable: string | null;
  readonly runs: readonly CapturedRun[];
}

/** The first `length` tokens (the model's BOS first, if it has one) of R-intro from `firstPage` on. */
function promptTokens(model: LlamaModel, text: string, length: number): Token[] {
  const bos = model.tokens.bos;
  const tokens = [...(bos === null ? [] : [bos]), ...model.tokenize(text.slice(0, length * 8))];
  if (tokens.length < length) throw new Error(`R-intro text gave ${tokens.length} tokens, fewer than ${length}`);
  return tokens.slice(0, length);
}

function allHeads(heads: number, layers: readonly number[]): LayerHeads[] {
  return layers.map((layer) => ({ layer, heads: Array.from({ length: heads }, (_, h) => h) }));
}

/** [row][layer][head][position] float32 of a row capture, for the rows fromRow..length-1. */
function rowsToBuffer(capture: RowsCapture, fromRow: number, length: number, layers: readonly number[]): Float32Array {
  const heads = capture.rows[0]?.layers[0]?.heads.length ?? 0;
  const { n } = capture;
  const rowSize = layers.length * heads * n;
  const data = new Float32Array((length - fromRow) * rowSize);
  for (let position = fromRow; position < length; position++) {
    const row = capture.rows.find((candidate) => candidate.position === position);
    if (!row) throw new Error(`no captured row at position ${position}`);
    layers.forEach((layer, i) => {
      const captured = row.layers.find((candidate) => candidate.layer === layer);
      if (!captured) throw new Error(`row ${position} has no layer ${layer}`);
      data.set(captured.probabilities, (position - fromRow) * rowSize + i * heads * n);
    });
  }
  return data;
}

/**
 * The `count` positions before `before` (and not 0) that the captured rows of `layer` attend to
 * most, over all heads: masked before the captured rows are evaluated, they must be in the cache.
 */
function mostAttended(capture: RowsCapture, layer: number, count: number, before: number): number[] {
  const mass = new Float64Array(capture.n);
  for (const row of capture.rows) {
    const probabilities = row.layers.find((candidate) => candidate.layer === layer)?.probabilities ?? [];
    for (let i = 0; i < probabilities.length; i++) mass[i % capture.n] += probabilities[i];
  }
  return [...mass.keys()]
    .filter((position) => position > 0 && position < before)
    .sort((a, b) => mass[b] - mass[a])
    .slice(0, count)
    .sort((a, b) => a - b);
}

/** The app's next-token distribution after a run's last token: the most likely tokens first. */
export interface NextTokens {
  readonly tokens: readonly number[];
  readonly probabilities: readonly number[];
}

const NEXT_TOKENS_KEPT = 64;

/**
 * Evaluates `tokens` on a fresh sequence, the last one asking for the next-token distribution (all
 * of it: temperature 1, no top-k/p cut). With a probe, captures `layers` for the last `window` rows,
 * `mask` set before those rows are evaluated.
 */
async function evaluateRun(
  context: LlamaContext,
  tokens: readonly Token[],
  window: number,
  probe: { layers: readonly LayerHeads[]; mask: { layer: number; positions: readonly number[] } | null } | null,
): Promise<{ capture: RowsCapture | null; next: NextTokens }> {
  const sequence = context.getSequence();
  try {
    const attached = probe ? AttentionProbe.attach(context) : null;
    const fromRow = tokens.length - window;
    const head = probe?.mask ? tokens.slice(0, fromRow) : [];
    const tail = tokens.slice(head.length);
    if (head.length > 0) await sequence.evaluateWithoutGeneratingNewTokens([...head]);
    if (attached && probe) {
      if (probe.mask) attached.maskPositions(sequence, probe.mask.layer, probe.mask.positions);
      attached.capture({ kind: "rows", layers: probe.layers, fromPosition: fromRow });
    }
    const options = { temperature: 1, topK: 0, topP: 1, minP: 0 };
    const results = await sequence.controlledEvaluate([
      ...tail.slice(0, -1),
      [tail[tail.length - 1], { generateNext: { probabilities: true, options } }],
    ]);
    const distribution = [...(results.at(-1)?.next?.probabilities ?? new Map<Token, number>())].slice(
      0,
      NEXT_TOKENS_KEPT,
    );
    if (distribution.length === 0) throw new Error("node-llama-cpp gave no next-token probabilities");
    const capture = attached ? attached.takeRows(sequence) : null;
    attached?.clearMasks();
    return {
      capture,
      next: { tokens: distribution.map(([token]) => token), probabilities: distribution.map(([, p]) => p) },
    };
  } finally {
    await sequence.dispose();
  }
}

/** Captures every (prompt, length) run and its masked twin into options.outDir; returns the file list. */
export async function captureAttention(options: CaptureOptions): Promise<CaptureFile> {
  const llama = await getRuntime();
  const model = await llama.loadModel({ modelPath: options.modelPath });
  const longest = Math.max(...options.lengths);
  // One spare cell: a context filled to its last cell makes node-llama-cpp shift it.
  const context = await model.createContext({
    contextSize: longest + 64,
    batchSize: 512,
    flashAttention: false,
    experimentalKvCacheKeyType: options.kvCache,
    experimentalKvCacheValueType: options.kvCache,
  });
  const document = await readDocument("R-intro.pdf", new Uint8Array(await readFile(R_INTRO_PDF)));
  const shape = modelShape(model.fileInfo);
  const everyLayer = Array.from({ length: shape.layers }, (_, layer) => layer);
  const afterMask = everyLayer.filter((layer) => layer >= options.maskedLayer);
  const availability = contextProbeAvailability(context);
  await mkdir(options.outDir, { recursive: true });
  const runs: CapturedRun[] = [];
  try {
    for (const prompt of options.prompts) {
      const firstPage = PROMPT_FIRST_PAGES[prompt];
      const text = document.text.slice(document.pages[firstPage - 1].start);
      for (const length of options.lengths) {
        const tokens = promptTokens(model, text, length);
        const fromRow = length - options.window;
        const base = { prompt, firstPage, length, tokens: [...tokens], fromRow, heads: shape.heads };
        if (!availability.available) {
          // No attention to capture: the next-token distribution is still compared.
          const { next } = await evaluateRun(context, tokens, options.window, null);
          runs.push({ ...base, layers: [], n: length, mask: null, data: null, next });
          continue;
        }
        const plain = await evaluateRun(context, tokens, options.window, {
          layers: allHeads(shape.heads, everyLayer),
          mask: null,
        });
        const mask = {
          layer: options.maskedLayer,
          positions: mostAttended(plain.capture!, options.maskedLayer, options.maskedPositions, fromRow),
        };
        const masked = await evaluateRun(context, tokens, options.window, {
          layers: allHeads(shape.heads, afterMask),
          mask,
        });
        for (const [run, layers, runMask] of [
          [plain, everyLayer, null],
          [masked, afterMask, mask],
        ] as const) {
          const data = `p${prompt}-${length}${runMask ? "-masked" : ""}.f32`;
          const buffer = rowsToBuffer(run.capture!, fromRow, length, layers);
          await writeFile(join(options.outDir, data), new Uint8Array(buffer.buffer));
          runs.push({ ...base, layers, n: run.capture!.n, mask: runMask, data, next: run.next });
        }
      }
    }
  } finally {
    await context.dispose();
    await model.dispose();
  }
  const file: CaptureFile = {
    model: basename(options.modelPath),
    kvCache: options.kvCache,
    probeUnavailable: availability.available ? null : availability.reason,
    runs,
  };
  await writeFile(join(options.outDir, "captures.json"), JSON.stringify(file));
  return file;
}
