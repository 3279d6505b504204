import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import type { ValueRows, WindowCapture } from "../../compresskv";
import { type CacheLayout, type LayerCache, readCacheLayout } from "./cache-layout";
import { KvCellMap } from "./kv-cell-map";
import { contextProbeAvailability, ProbeUnavailableError } from "./probe-availability";
import {
  nativeContextOf,
  nativeProbeBindings,
  type NativeCapture,
  type NativeContext,
  type NativeProbeBindings,
} from "./native-probe";

/** Query heads to capture in one layer. */
export interface LayerHeads {
  readonly layer: number;
  readonly heads: readonly number[];
}

/** What the next evaluations capture, until taken. */
export type CaptureRequest =
  /** Probabilities summed over the query rows at positions >= fromPosition (the observation window). */
  | { readonly kind: "window"; readonly layers: readonly LayerHeads[]; readonly fromPosition: number }
  /** Every query row at positions >= fromPosition (e.g. decode steps), optionally with each layer's V. */
  | {
      readonly kind: "rows";
      readonly layers: readonly LayerHeads[];
      readonly fromPosition?: number;
      readonly values?: boolean;
    };

/** One query row's attention in one layer: heads x n probabilities, head-major, indexed by position. */
export interface LayerRow {
  readonly layer: number;
  readonly heads: readonly number[];
  readonly probabilities: Float32Array;
}

export interface CapturedRow {
  readonly position: number;
  readonly layers: readonly LayerRow[];
}

export interface RowsCapture {
  /** Length of the position-indexed arrays: one past the largest position in the cache. */
  readonly n: number;
  readonly rows: readonly CapturedRow[];
  /** V per captured layer (when asked), indexed by position, as of the last evaluation. */
  readonly values: ReadonlyMap<number, ValueRows>;
}

/**
 * Attention capture and per-layer masking on one LlamaContext (created with `flashAttention: false`),
 * through the patched addon. Captures and masks serve one sequence at a time: don't evaluate other
 * sequences of the context while a capture is armed or masks are set.
 */
export class AttentionProbe {
  /** Heads of each layer of the armed request, in request order (native results follow it). */
  private armedHeads: readonly (readonly number[])[] = [];

  private constructor(
    readonly context: LlamaContext,
    private readonly bindings: NativeProbeBindings,
    private readonly native: NativeContext,
    /** Which layers read which cache (window layers index the window cache's cells). */
    readonly layout: CacheLayout,
  ) {}

  /** The probe of `context`; throws ProbeUnavailableError (with the reason) when it has none. */
  static attach(context: LlamaContext): AttentionProbe {
    const availability = contextProbeAvailability(context);
    if (!availability.available) throw new ProbeUnavailableError(availability.reason);
    return new AttentionProbe(
      context,
      nativeProbeBindings(context.model.llama) as NativeProbeBindings,
      nativeContextOf(context),
      readCacheLayout(context)!,
    );
  }

  /** Cell maps of the caches, read once per take (the window one only if a window layer needs it). */
  private cellMaps(sequence: LlamaContextSequence): (layer: number) => KvCellMap {
    const maps = new Map<LayerCache, KvCellMap>();
    return (layer) => {
      const cache = this.layout.cacheOf(layer);
      if (!maps.has(cache)) maps.set(cache, KvCellMap.read(sequence, cache));
      return maps.get(cache)!;
    };
  }

  /** One past the largest position either cache holds: the length of position-indexed results. */
  private positionCount(mapOf: (layer: number) => KvCellMap): number {
    const global = mapOf(this.layout.globalLayers[0] ?? 0).positionCount;
    const windowLayer = this.layout.windowLayers[0];
    return windowLayer === undefined ? global : Math.max(global, mapOf(windowLayer).positionCount);
  }

  /** Arms capture for the following evaluations and drops anything captured before. */
  capture(request: CaptureRequest): void {
    this.armedHeads = request.layers.map(({ heads }) => [...heads]);
    this.bindings.compresskvProbeSetCapture(this.native, {
      mode: request.kind === "window" ? "windowSum" : "rows",
      layers: request.layers.map(({ layer, heads }) => ({ layer, heads: [...heads] })),
      firstPosition: request.fromPosition ?? 0,
      values: request.kind === "rows" && (request.values ?? false),
    });
  }

  /** The window sums captured since `capture`, by position, in the core's shape; disarms. */
  takeWindow(sequence: LlamaContextSequence): WindowCapture[] {
    const captured = this.takeNative();
    const mapOf = this.cellMaps(sequence);
    const n = this.positionCount(mapOf);
    return captured.layers.map((layer, i) => {
      const heads = this.armedHeads[i];
      const rowSums = new Float32Array(heads.length * n);
      const map = mapOf(layer.layer);
      layer.sums.forEach((sums, k) => {
        map.toPositions(sums, sums.length, 1, n, rowSums.subarray(k * n, (k + 1) * n));
      });
      return { layer: layer.layer, heads, n, rowSums };
    });
  }

  /** The rows captured since `capture`, by position; disarms. */
  takeRows(sequence: LlamaContextSequence): RowsCapture {
    const captured = this.takeNative();
    const mapOf = this.cellMaps(sequence);
    const n = this.positionCount(mapOf);
    const rowsByPosition = new Map<number, LayerRow[]>();
    captured.layers.forEach((layer, i) => {
      const heads = this.armedHeads[i];
      const map = mapOf(layer.layer);
      for (const row of layer.rows) {
        const probabilities = map.toPositions(row.probabilities, row.cells, heads.length, n);
        if (!rowsByPosition.has(row.position)) rowsByPosition.set(row.position, []);
        rowsByPosition.get(row.position)!.push({ layer: layer.layer, heads, probabilities });
      }
    });
    const values = new Map<number, ValueRows>();
    for (const layer of captured.layers) {
      if (!layer.values) continue;
      const { cells, kvHeads, headDim, data } = layer.values;
      const width = kvHeads * headDim;
      const map = mapOf(layer.layer);
      const byPosition = new Float32Array(n * width);
      for (let cell = 0; cell < cells; cell++) {
        const position = map.positionOfCell[cell];
        if (position >= 0 && position < n)
          byPosition.set(data.subarray(cell * width, (cell + 1) * width), position * width);
      }
      values.set(layer.layer, { data: byPosition, headDim, strides: { cell: width, kvHead: headDim, dim: 1 } });
    }
    const rows = [...captured.rowPositions].map((position) => ({
      position,
      layers: rowsByPosition.get(position) ?? [],
    }));
    return { n, rows, values };
  }

  /**
   * Evaluates `tokens` on the sequence and returns each layer's probabilities summed over the last
   * `window` of them (the window may be the whole batch or its tail).
   */
  async evaluateWindow(
    sequence: LlamaContextSequence,
    tokens: readonly Token[],
    options: { readonly layers: readonly LayerHeads[]; readonly window: number },
  ): Promise<WindowCapture[]> {
    if (options.window < 1 || options.window > tokens.length) {
      throw new RangeError(`window ${options.window} must be between 1 and the ${tokens.length} tokens evaluated`);
    }
    this.capture({
      kind: "window",
      layers: options.layers,
      fromPosition: sequence.nextTokenIndex + tokens.length - options.window,
    });
    try {
      await sequence.evaluateWithoutGeneratingNewTokens([...tokens]);
    } catch (error) {
      this.takeNative();
      throw error;
    }
    return this.takeWindow(sequence);
  }

  /**
   * Layer `layer` attends to none of these positions of `sequence` from now on (other layers unaffected).
   * Only layers of the global cache can be masked: a window cache reuses its cells as the window slides,
   * so a mask kept by cell would soon hide other tokens.
   */
  maskPositions(sequence: LlamaContextSequence, layer: number, positions: Iterable<number>): void {
    if (this.layout.isWindowLayer(layer)) {
      throw new RangeError(`layer ${layer} reads the sliding-window cache; only global layers can be masked`);
    }
    this.bindings.compresskvProbeSetLayerMask(this.native, layer, KvCellMap.read(sequence).cellsOf(positions));
  }

  /** Removes every layer's mask. */
  clearMasks(): void {
    this.bindings.compresskvProbeClearMasks(this.native);
  }

  private takeNative(): NativeCapture {
    const captured = this.bindings.compresskvProbeTakeCapture(this.native);
    this.bindings.compresskvProbeSetCapture(this.native, { mode: "off" });
    if (captured.error) throw new Error(`attention probe: ${captured.error}`);
    return captured;
  }
}
