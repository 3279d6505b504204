import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { DEFAULT_COMPRESSION, type CompressionSettings } from "../../src-main/api/compression-settings";
import { createMethod, type HeadProfile, type ModelShape, type PositionRange } from "../../src-main/compresskv";
import { CacheCompressor } from "../../src-main/engine/compression/cache-compressor";
import { DocumentSession } from "../../src-main/engine/document-session";
import type { LoadedModel } from "../../src-main/engine/loaded-model";
import { AttentionProbe, removeCompacting } from "../../src-main/engine/probe";
import { peakRssDuring } from "./rss-sampler";

export interface EngineBenchOptions {
  lengths: number[];
  /** KV cells kept by the compressed caches. */
  budget: number;
  decodeTokens: number;
  /** Observation window of the capture (question-agnostic scoring). */
  window: number;
  /** Chunk size of the compressed session. */
  chunkTokens: number;
  onPhase?(length: number, phase: string): void;
}

/** Everything measured at one context length. Times in milliseconds, rates in tokens per second. */
export interface LengthMeasurement {
  tokens: number;
  budget: number;
  prefill: { flashOnMs: number; flashOffMs: number; flashOffCaptureMs: number };
  /** Scoring and selecting the kept tokens (CompressKV, every layer) from the captured window. */
  selectionMs: number;
  removal: {
    /** Freeing the evicted cells, positions kept. */
    keepPositionsMs: number;
    /** The first decode step after it. */
    keepPositionsFirstStepMs: number;
    /** Erasing the evicted ranges and shifting later positions down. */
    compactingMs: number;
    /** The first decode step after it, which re-rotates the kept keys (llama.cpp applies the shift lazily). */
    compactingFirstStepMs: number;
  };
  decode: {
    /** Full cache of `tokens` cells. */
    fullFlashOn: number;
    fullFlashOff: number;
    /** The same context after compression to the budget, positions kept (probe attached, as in a session). */
    compressedKeepPositions: number;
    /** The same context after a compacting compression. */
    compressedCompacting: number;
    /** A compressed session: read in chunks into a context of budget + chunk + reserve cells. */
    compressedSession: number;
  };
  /** Peak resident memory of the process while each ran, and how much it grew above the start of that phase. */
  peakRssBytes: { fullFlashOff: number; compressedSession: number };
  rssGrowthBytes: { fullFlashOff: number; compressedSession: number };
  kvBytes: { full: number; compressed: number; sessionAllocated: number };
}

/** Positions 1.. that are not in the sorted `kept`, as ranges (position 0 is always kept). */
function evictedRanges(kept: readonly number[], length: number): PositionRange[] {
  const ranges: PositionRange[] = [];
  let next = 1;
  for (const position of kept) {
    if (position > next) ranges.push({ start: next, end: position });
    next = Math.max(next, position + 1);
  }
  if (next < length) ranges.push({ start: next, end: length });
  return ranges;
}

/** Benchmark tokens: bytes in a fixed pattern (the byte-level benchmark model reads any of them). */
export function benchTokens(length: number): Token[] {
  return Array.from({ length }, (_, i) => (32 + ((i * 131 + 17) % 95)) as Token);
}

/** A profile that names heads by index and weighs layers alike: selection costs the same as with a real one. */
function syntheticProfile(shape: ModelShape): HeadProfile {
  const heads = Array.from({ length: shape.nHead }, (_, h) => h);
  return {
    semanticHeads: Array.from({ length: shape.nLayers }, (_, layer) => heads.map((h) => (h + layer) % shape.nHead)),
    retrievalHeads: Array.from({ length: shape.nLayers }, () => heads),
    layerWeights: Array.from({ length: shape.nLayers }, () => 1 / shape.nLayers),
  };
}

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Greedy decoding of `count` tokens after `start`: returns tokens per second. */
async function decodeRate(sequence: LlamaContextSequence, start: Token, count: number): Promise<number> {
  let generated = 0;
  const started = performance.now();
  for await (const token of sequence.evaluate([start], { temperature: 0 })) {
    void token;
    if (++generated >= count) break;
  }
  return (1000 * generated) / (performance.now() - started);
}

/** The time of one decode step (one token in, its logits out). */
async function firstStepMs(sequence: LlamaContextSequence, token: Token): Promise<number> {
  return timed(() => sequence.evaluateWithoutGeneratingNewTokens([token]));
}

/**
 * Runs every measurement at each length, side by side in one process on one model:
 * prefill with flash attention on and off and with the capture, selection, both removals, decoding with
 * the full and the compressed caches, peak resident memory and KV bytes.
 */
export async function runEngineBench(loaded: LoadedModel, options: EngineBenchOptions): Promise<LengthMeasurement[]> {
  const { model, shape: modelShape, info } = loaded;
  const shape: ModelShape = { nLayers: modelShape.layers, nHead: modelShape.heads, nHeadKv: modelShape.kvHeads };
  const profile = syntheticProfile(shape);
  const settings: CompressionSettings = {
    ...DEFAULT_COMPRESSION,
    method: "compresskv",
    budget: options.budget,
    window: options.window,
    questionAware: false,
    chunkTokens: options.chunkTokens,
  };
  const withContext = async <T>(
    flashAttention: boolean,
    size: number,
    work: (context: LlamaContext) => Promise<T>,
  ): Promise<T> => {
    const context = await model.createContext({ contextSize: size, flashAttention, sequences: 1 });
    try {
      return await work(context);
    } finally {
      await context.dispose();
    }
  };

  // Warm-up: the first evaluation pays for thread start-up and page faults.
  await withContext(false, 512, (context) =>
    context.getSequence().evaluateWithoutGeneratingNewTokens(benchTokens(256)),
  );

  const measurements: LengthMeasurement[] = [];
  for (const length of options.lengths) {
    const tokens = benchTokens(length);
    const size = length + options.decodeTokens + 64;
    const next = tokens[length - 1];
    const phase = (name: string) => options.onPhase?.(length, name);

    // First, so that the full-size buffers freed by the other phases do not count in its memory.
    phase("compressed session (chunked reading)");
    const session = await peakRssDuring(async () => {
      const text = String.fromCharCode(...tokens.slice(0, length - 1));
      const opened = await DocumentSession.open(loaded, text, {
        compression: settings,
        profile,
        removal: "compact",
        answerReserve: options.decodeTokens + 64,
      });
      try {
        const answer = await opened.ask([], "Q", { maxTokens: options.decodeTokens });
        return { answer, allocatedCells: answer.stats.allocatedCells };
      } finally {
        await opened.dispose();
      }
    });
    const { stats } = session.value.answer;

    phase("flash attention on");
    const flashOn = await withContext(true, size, async (context) => {
      const sequence = context.getSequence();
      const prefillMs = await timed(() => sequence.evaluateWithoutGeneratingNewTokens(tokens));
      return { prefillMs, decode: await decodeRate(sequence, next, options.decodeTokens) };
    });

    phase("flash attention off, capture and compression (positions kept)");
    const captured = await withContext(false, size, async (context) => {
      const sequence = context.getSequence();
      const method = createMethod("compresskv", { shape, profile, headsPerLayer: settings.headsPerLayer });
      const compressor = new CacheCompressor(
        sequence,
        AttentionProbe.attach(context),
        method,
        shape,
        settings,
        "keep-positions",
      );
      let captures: Awaited<ReturnType<CacheCompressor["evaluate"]>> = [];
      const prefillMs = await timed(async () => (captures = await compressor.evaluate(tokens, 0, options.window)));
      const pass = await compressor.compress(captures, options.window, options.budget);
      if (!pass) throw new Error(`${length} tokens fit the budget of ${options.budget}: nothing to compress`);
      const stepMs = await firstStepMs(sequence, next);
      return {
        prefillMs,
        selectionMs: pass.scoringMs,
        removalMs: pass.removalMs,
        stepMs,
        kept: Array.from(pass.union),
        decode: await decodeRate(sequence, next, options.decodeTokens),
      };
    });

    phase("flash attention off, full cache, then compacting removal");
    const plain = await peakRssDuring(() =>
      withContext(false, size, async (context) => {
        const sequence = context.getSequence();
        const prefillMs = await timed(() => sequence.evaluateWithoutGeneratingNewTokens(tokens));
        const decode = await decodeRate(sequence, next, options.decodeTokens);
        await sequence.eraseContextTokenRanges([{ start: length, end: sequence.nextTokenIndex }]);
        const compactingMs = await timed(() => removeCompacting(sequence, evictedRanges(captured.kept, length)));
        const stepMs = await firstStepMs(sequence, next);
        return {
          prefillMs,
          decode,
          compactingMs,
          stepMs,
          compressedDecode: await decodeRate(sequence, next, options.decodeTokens),
        };
      }),
    );

    measurements.push({
      tokens: length,
      budget: options.budget,
      prefill: {
        flashOnMs: flashOn.prefillMs,
        flashOffMs: plain.value.prefillMs,
        flashOffCaptureMs: captured.prefillMs,
      },
      selectionMs: captured.selectionMs,
      removal: {
        keepPositionsMs: captured.removalMs,
        keepPositionsFirstStepMs: captured.stepMs,
        compactingMs: plain.value.compactingMs,
        compactingFirstStepMs: plain.value.stepMs,
      },
      decode: {
        fullFlashOn: flashOn.decode,
        fullFlashOff: plain.value.decode,
        compressedKeepPositions: captured.decode,
        compressedCompacting: plain.value.compressedDecode,
        compressedSession: stats.generatedTokens > 0 ? (1000 * stats.generatedTokens) / stats.decodeMs : 0,
      },
      peakRssBytes: { fullFlashOff: plain.peakRssBytes, compressedSession: session.peakRssBytes },
      rssGrowthBytes: {
        fullFlashOff: plain.peakRssBytes - plain.startRssBytes,
        compressedSession: session.peakRssBytes - session.startRssBytes,
      },
      kvBytes: {
        full: length * info.kvBytesPerToken,
        compressed: options.budget * info.kvBytesPerToken,
        sessionAllocated: session.value.allocatedCells * info.kvBytesPerToken,
      },
    });
  }
  return measurements;
}
