import type { LlamaContext } from "node-llama-cpp";
import { nativeContextOf, nativeProbeBindings, type NativeProbeBindings } from "./native-probe";

/** The KV cache a layer reads: the global one, or (sliding-window models) the window one. */
export type LayerCache = "global" | "window";

/**
 * How a context's memory is laid out per layer. A plain model has one KV cache read by every layer.
 * A sliding-window model (llama.cpp's interleaved SWA cache, e.g. Gemma 3) has two: the global layers'
 * cache, which holds every position until removed, and the window layers' cache, which holds only the
 * last `windowSize` positions and reuses its cells as the window slides.
 */
export class CacheLayout {
  private readonly windowLayerSet: ReadonlySet<number>;

  constructor(
    readonly layers: number,
    /** Layers that read the window cache, ascending (empty for a plain model). */
    readonly windowLayers: readonly number[],
    /** Positions a window layer sees (n_swa); 0 for a plain model. */
    readonly windowSize: number,
  ) {
    this.windowLayerSet = new Set(windowLayers);
  }

  static plain(layers: number): CacheLayout {
    return new CacheLayout(layers, [], 0);
  }

  get slidingWindow(): boolean {
    return this.windowLayers.length > 0;
  }

  isWindowLayer(layer: number): boolean {
    return this.windowLayerSet.has(layer);
  }

  cacheOf(layer: number): LayerCache {
    return this.isWindowLayer(layer) ? "window" : "global";
  }

  /** Layers that read the global cache, ascending: the ones compression and masks act on. */
  get globalLayers(): number[] {
    return Array.from({ length: this.layers }, (_, layer) => layer).filter((layer) => !this.isWindowLayer(layer));
  }
}

/**
 * The layout of `context`'s memory as the probe reads it, or undefined when the binary has no probe
 * (ABI checked by the caller) or the memory is neither kind (hybrid, recurrent).
 */
export function readCacheLayout(context: LlamaContext): CacheLayout | undefined {
  const bindings = nativeProbeBindings(context.model.llama) as NativeProbeBindings;
  if (typeof bindings.compresskvProbeInfo !== "function") return undefined;
  const info = bindings.compresskvProbeInfo(nativeContextOf(context));
  if (info.memory !== "plain" && info.memory !== "sliding-window") return undefined;
  return new CacheLayout(info.layers ?? 0, [...(info.windowLayers ?? [])], info.windowSize ?? 0);
}
