import { selectLayerTokens } from "./token-selection";
import type { CompressionRequest, HeadProfile, LayerSelection, ModelShape, WindowCapture } from "./types";

/**
 * A compression method: a budget policy and a token scorer. Everything else (sinks, window, top-k, ties)
 * is shared, in `selectTokens`.
 */
export type MethodName =
  | "full"
  | "streaming-llm"
  | "snapkv"
  | "pyramidkv"
  | "retrieval-heads"
  | "compresskv"
  | "random";

/** What the engine and the UI know about a method before building it. */
export interface MethodInfo {
  readonly name: MethodName;
  readonly label: string;
  /** False when the method scores without attention (the fallback when no probe is available). */
  readonly needsAttention: boolean;
  /** True when it needs a calibrated HeadProfile. */
  readonly needsProfile: boolean;
}

export interface KvPressMethod extends MethodInfo {
  /** Query heads whose window attention the engine must capture for `layer`; empty when none. */
  capturedHeads(layer: number): readonly number[];
  /** Tokens each layer may keep. */
  layerBudgets(request: CompressionRequest): Int32Array;
  /** Scores of positions 0..n-window-1 (higher is kept first). `capture` is present when needsAttention. */
  score(layer: number, request: CompressionRequest, capture: WindowCapture | undefined): ArrayLike<number>;
}

/** What a method may be built from. `profile` is needed by the head-guided methods only. */
export interface MethodContext {
  readonly shape: ModelShape;
  readonly profile?: HeadProfile;
  /** Heads per layer for the head-guided methods (default 4). */
  readonly headsPerLayer?: number;
  /** Seed of the random baseline. */
  readonly seed?: number;
}

/** A method's description and its factory; one per file under methods/. */
export interface MethodDefinition extends MethodInfo {
  create(context: MethodContext): KvPressMethod;
}

type MethodBehaviour = Omit<KvPressMethod, keyof MethodInfo>;

export function defineMethod(info: MethodInfo, build: (context: MethodContext) => MethodBehaviour): MethodDefinition {
  // info last: a method built on another one's behaviour keeps its own name.
  return { ...info, create: (context) => ({ ...build(context), ...info }) };
}

/**
 * Runs a method over every layer: budgets, then scores, then the shared selection.
 * `captures[layer]` must be present for methods that need attention. Layers outside `selectedLayers`
 * (when given) are neither scored nor given candidates: they keep the sinks and the window only, so the
 * physical plan is decided by the selected layers alone (a sliding-window model's window layers, whose
 * cache llama.cpp keeps to its window by itself). The selected layers' budgets keep the method's
 * proportions but are scaled to average B, as the method's budgets average B over all layers.
 */
export function selectTokens(
  method: KvPressMethod,
  request: CompressionRequest,
  captures: readonly (WindowCapture | undefined)[] = [],
  selectedLayers?: ReadonlySet<number>,
): LayerSelection[] {
  const budgets = selectedLayers
    ? budgetsOverLayers(method.layerBudgets(request), selectedLayers, request.budget)
    : method.layerBudgets(request);
  return Array.from(budgets, (budget, layer) => {
    if (selectedLayers && !selectedLayers.has(layer)) {
      return selectLayerTokens([], request.n, 0, request.window, request.sinks);
    }
    const scores = method.score(layer, request, captures[layer]);
    return selectLayerTokens(scores, request.n, budget, request.window, request.sinks);
  });
}

/** `budgets` with the `layers` among them scaled (rounded) to average `budget`; the others as they are. */
function budgetsOverLayers(budgets: Int32Array, layers: ReadonlySet<number>, budget: number): Int32Array {
  let total = 0;
  for (const layer of layers) total += budgets[layer];
  if (total <= 0) return budgets;
  const scale = (budget * layers.size) / total;
  return budgets.map((b, layer) => (layers.has(layer) ? Math.round(b * scale) : b));
}

/** The capture an attention method was given, or an error naming the layer. */
export function requireCapture(capture: WindowCapture | undefined, layer: number): WindowCapture {
  if (capture === undefined) throw new Error(`this method needs the window attention of layer ${layer}`);
  return capture;
}
