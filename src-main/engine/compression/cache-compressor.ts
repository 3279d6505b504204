import type { LlamaContextSequence, Token } from "node-llama-cpp";
import {
  buildPhysicalPlan,
  selectTokens,
  visiblePositions,
  windowAttentionMass,
  type KvPressMethod,
  type ModelShape,
  type PhysicalPlan,
  type PlanView,
  type WindowCapture,
  hiddenPositions,
  withUnmaskedLayers,
} from "../../compresskv";
import {
  CacheLayout,
  KvCellMap,
  readCacheLayout,
  removeCompacting,
  removeKeepingPositions,
  type AttentionProbe,
  type LayerHeads,
} from "../probe";
import type { CompressionSettings } from "./compression-settings";
import type { PrefillMemo } from "./prefill-memo";
import { PresentPositions } from "./present-positions";

/** keep-positions: freed cells leave gaps (RoPE positions stay true); compact: later tokens shift down. */
export type RemovalMode = "keep-positions" | "compact";

export interface CompressorSnapshot {
  origin: number[];
  held: number[];
  hidden: number[][];
}

/** One compression pass, in original document positions. */
export interface CompressionPass {
  /** Document tokens each layer was allowed (B_l). */
  budgets: Int32Array;
  /** Per layer, the original positions that layer attends to after the pass. */
  visible: Int32Array[];
  /** Original positions kept in the cache. */
  union: Int32Array;
  /** Per layer, share of its window attention mass its visible set retains (null without capture). */
  retainedMass: (number | null)[];
  removedTokens: number;
  scoringMs: number;
  removalMs: number;
}

/** A scored selection fitted into the cells, before anything is removed or masked. */
interface PlannedPass {
  present: PresentPositions;
  plan: PhysicalPlan;
  /** Each layer's budget B_l, with the protected tokens. */
  budgets: Int32Array;
  started: number;
}

/**
 * Applies a compression method to one sequence: evaluates with the captures the method needs, then
 * keeps what the physical plan says, removing the rest and, in the exact plan, masking per layer.
 * It does every removal itself, so it knows which positions the cache holds without asking llama.cpp,
 * and where each came from, so reports speak of prompt positions even after compacting removals.
 */
export class CacheCompressor {
  /** `origin[i]` is the original position of the sequence's token i (its node-llama-cpp token index). */
  private origin: number[] = [];
  /** Token indices whose cells the cache holds, ascending. */
  private held: number[] = [];
  /** The most cells the sequence has held at once. */
  peakCells = 0;
  /** Exact plan: per layer, the held token indices masked from that layer. */
  private hidden: number[][] = [];
  /**
   * With a prefill memo, the tokens read since the sequence was empty, while nothing was removed, masked
   * or generated: the prompt the memo knows the state of. null once the cache holds anything else.
   */
  private readTokens: Token[] | null = [];
  /**
   * Which layers read which cache. On a sliding-window model the method compresses the global layers'
   * cache; the window layers keep the window llama.cpp holds for them, are not scored and not masked.
   */
  readonly layout: CacheLayout;

  constructor(
    private readonly sequence: LlamaContextSequence,
    private readonly probe: AttentionProbe | null,
    private readonly method: KvPressMethod,
    private readonly shape: ModelShape,
    private readonly settings: CompressionSettings,
    readonly removal: RemovalMode,
    /** Shares the reading of a prompt with other sessions that read it the same way (evaluation grids). */
    private readonly memo?: PrefillMemo,
  ) {
    if (method.needsAttention && !probe) throw new Error(`${method.label} needs the attention probe`);
    this.layout = readCacheLayout(sequence.context) ?? CacheLayout.plain(shape.nLayers);
  }

  private captureLayers(): LayerHeads[] {
    if (!this.method.needsAttention) return [];
    return this.scoredLayers().flatMap((layer) => {
      const heads = this.method.capturedHeads(layer);
      return heads.length ? [{ layer, heads }] : [];
    });
  }

  /** The layers whose cache the method compresses (all but a sliding-window model's window layers). */
  private scoredLayers(): number[] {
    return Array.from({ length: this.shape.nLayers }, (_, layer) => layer).filter(
      (layer) => !this.layout.isWindowLayer(layer),
    );
  }

  /**
   * Evaluates `tokens` (whose original positions start at `originStart`), capturing the attention of
   * their last `window` tokens when the method needs it.
   */
  async evaluate(
    tokens: readonly Token[],
    originStart: number,
    window: number,
  ): Promise<(WindowCapture | undefined)[]> {
    const first = this.sequence.nextTokenIndex;
    for (let i = 0; i < tokens.length; i++) {
      this.origin[first + i] = originStart + i;
      this.held.push(first + i);
    }
    this.peakCells = Math.max(this.peakCells, this.held.length);
    if (tokens.length === 0) return [];
    const layers = window > 0 ? this.captureLayers() : [];
    // Without a memo the prompt is never needed: not copied, on the app's path.
    this.readTokens = this.memo && this.readTokens ? [...this.readTokens, ...tokens] : null;
    if (this.memo && this.readTokens) {
      return this.byLayer(await this.evaluateThroughMemo(this.memo, this.readTokens, tokens, layers, window));
    }
    return this.byLayer(await this.evaluateCapturing(tokens, layers, window));
  }

  /** Evaluates `tokens`, capturing the window attention of `layers` (none: a plain evaluation). */
  private async evaluateCapturing(
    tokens: readonly Token[],
    layers: readonly LayerHeads[],
    window: number,
  ): Promise<WindowCapture[]> {
    if (!this.probe || layers.length === 0) {
      await this.sequence.evaluateWithoutGeneratingNewTokens([...tokens]);
      return [];
    }
    return this.probe.evaluateWindow(this.sequence, tokens, { layers, window: Math.min(window, tokens.length) });
  }

  private byLayer(captures: readonly WindowCapture[]): (WindowCapture | undefined)[] {
    if (captures.length === 0) return [];
    const byLayer: (WindowCapture | undefined)[] = new Array(this.shape.nLayers);
    for (const capture of captures) byLayer[capture.layer] = capture;
    return byLayer;
  }

  /**
   * Loads the memo's state of `prompt` (which ends with `tokens`) when it has one with the captures
   * asked for; else evaluates `tokens`, capturing every head of every scored layer for the sessions
   * after this one, and records it.
   */
  private async evaluateThroughMemo(
    memo: PrefillMemo,
    prompt: readonly Token[],
    tokens: readonly Token[],
    layers: readonly LayerHeads[],
    window: number,
  ): Promise<WindowCapture[]> {
    const read = { tokens: prompt, contextSize: this.sequence.context.contextSize };
    const effectiveWindow = Math.min(window, tokens.length);
    const recorded = memo.captures(read, layers, effectiveWindow);
    if (recorded) {
      await memo.load(this.sequence, read);
      return recorded;
    }
    const allHeads = Array.from({ length: this.shape.nHead }, (_, head) => head);
    const everyHead = window > 0 ? this.scoredLayers().map((layer) => ({ layer, heads: allHeads })) : [];
    const captures = await this.evaluateCapturing(tokens, everyHead, window);
    await memo.record(this.sequence, read, effectiveWindow, captures);
    return memo.captures(read, layers, effectiveWindow) ?? [];
  }

  /**
   * Erases the tokens from token index `from` on (the end of the sequence; nothing shifts). On a
   * sliding-window model node-llama-cpp's own erase would re-evaluate every token it lists (the whole
   * document, removed tokens included) once the chat outgrows the window cache, so the removal is ours.
   */
  async eraseFrom(from: number): Promise<void> {
    const end = this.sequence.nextTokenIndex;
    if (from < end) {
      if (this.layout.slidingWindow && from > 0) await removeCompacting(this.sequence, [{ start: from, end }]);
      else await this.sequence.eraseContextTokenRanges([{ start: from, end }]);
      // A sliding-window cache has already let go of what the erased tokens pushed out of its window.
      this.readTokens = null;
    }
    this.origin.length = Math.min(this.origin.length, from);
    this.held = this.held.filter((index) => index < from);
  }

  /** Records tokens the sequence evaluated by itself (generated answers), up to token index `end`. */
  noteEvaluated(end: number): void {
    for (let index = (this.held.at(-1) ?? -1) + 1; index < end; index++) {
      this.origin[index] = (this.origin[index - 1] ?? -1) + 1;
      this.held.push(index);
      this.readTokens = null;
    }
    this.peakCells = Math.max(this.peakCells, this.held.length);
  }

  /** Starts over with an empty sequence. */
  async clear(): Promise<void> {
    await this.sequence.clearHistory();
    this.probe?.clearMasks();
    this.origin = [];
    this.held = [];
    this.hidden = [];
    this.readTokens = [];
  }

  /** Cells the sequence occupies. */
  get cellsInUse(): number {
    return this.held.length;
  }

  /** Original position of token index `index`. */
  originOf(index: number): number {
    return this.origin[index];
  }

  /** Scores the held cells and fits the layers' selections into `capacity`; null when everything fits. */
  private plan(captures: readonly (WindowCapture | undefined)[], window: number, capacity: number): PlannedPass | null {
    const present = new PresentPositions(Int32Array.from(this.held));
    const n = present.count;
    if (n <= capacity) return null;
    const scoringStart = performance.now();
    const dense = captures.map((capture) => (capture ? present.denseCapture(capture) : undefined));
    const request = {
      n,
      budget: Math.min(capacity, n),
      window: Math.min(window, n),
      sinks: this.settings.sinks,
      pooling: this.settings.pooling,
    };
    const selected = this.layout.slidingWindow ? new Set(this.layout.globalLayers) : undefined;
    const selections = selectTokens(this.method, request, dense, selected);
    const plan = withUnmaskedLayers(
      buildPhysicalPlan({
        n,
        // The paper's accounting: each layer keeps its whole selection, the cache holds their union.
        capacity: this.settings.perLayerBudget ? n : capacity,
        window: request.window,
        sinks: request.sinks,
        layers: selections,
        attentionMass: dense.map((capture) => (capture ? windowAttentionMass(capture) : undefined)),
      }),
      this.layout.windowLayers,
    );
    return { present, plan, budgets: Int32Array.from(selections, (s) => s.budget), started: scoringStart };
  }

  /**
   * Compresses the cache to `capacity` cells, protecting its last `window` tokens and the first
   * `settings.sinks`. Does nothing (returns null) when the cache already fits. `view` says what each
   * layer attends to afterwards (a reservoir is read shared: every layer keeps all of it).
   */
  async compress(
    captures: readonly (WindowCapture | undefined)[],
    window: number,
    capacity: number,
    /** Protected tokens that are not the document's (the question): reported budgets leave them out. */
    reserved = 0,
    view: PlanView = this.settings.plan,
  ): Promise<CompressionPass | null> {
    const planned = this.plan(captures, window, capacity);
    if (!planned) return null;
    this.readTokens = null;
    const { present, plan } = planned;
    const scoringMs = performance.now() - planned.started;

    const removalStart = performance.now();
    const ranges = present.positionRanges(plan.removals);
    const visible = this.visibleOriginal(plan, present, view);
    const unionOriginal = Int32Array.from(plan.union, (index) => this.origin[present.positions[index]]);
    if (this.removal === "compact") {
      await removeCompacting(this.sequence, ranges);
      this.origin = Array.from(unionOriginal);
      this.held = Array.from(plan.union, (_, i) => i);
    } else {
      removeKeepingPositions(this.sequence, ranges);
      this.held = Array.from(plan.union, (index) => present.positions[index]);
    }
    this.applyMasks(plan, present, view);
    const removalMs = performance.now() - removalStart;
    return this.withWindowLayersAsHeld({
      budgets: planned.budgets.map((budget) => budget - reserved),
      visible,
      union: unionOriginal,
      retainedMass: [...plan.retainedMass[view]],
      removedTokens: present.count - plan.union.length,
      scoringMs,
      removalMs,
    });
  }

  /**
   * The reservoir's answer: chooses `capacity` of the held cells as `compress` would, but removes
   * nothing; each layer is masked from the held cells outside its view (exact attention, as if they
   * were evicted). `reveal` gives the whole reservoir back. Returns null (nothing masked) when all fits.
   */
  async focus(
    captures: readonly (WindowCapture | undefined)[],
    window: number,
    capacity: number,
    reserved = 0,
  ): Promise<CompressionPass | null> {
    const view = this.settings.plan;
    const planned = this.plan(captures, window, capacity);
    if (!planned) return null;
    this.readTokens = null;
    if (!this.probe) throw new Error("a reservoir needs the attention probe's masks");
    const { present, plan } = planned;
    const scoringMs = performance.now() - planned.started;
    const maskStart = performance.now();
    const hidden = hiddenPositions(plan, view);
    for (let layer = 0; layer < this.shape.nLayers; layer++) {
      // A window layer reads its own cache, which holds the window whatever the reservoir: nothing to mask.
      if (this.layout.isWindowLayer(layer)) continue;
      const positions = Array.from(hidden[layer], (index) => present.positions[index]);
      if (positions.length) this.probe.maskPositions(this.sequence, layer, positions);
    }
    return this.withWindowLayersAsHeld({
      budgets: planned.budgets.map((budget) => budget - reserved),
      visible: this.visibleOriginal(plan, present, view),
      union: Int32Array.from(plan.union, (index) => this.origin[present.positions[index]]),
      retainedMass: [...plan.retainedMass[view]],
      removedTokens: 0,
      scoringMs,
      removalMs: performance.now() - maskStart,
    });
  }

  /** Undoes `focus`: every layer sees what it saw before (its own masks of an exact-plan reading stay). */
  reveal(): void {
    if (!this.probe) return;
    this.probe.clearMasks();
    this.hidden.forEach((positions, layer) => {
      if (positions.length) this.probe!.maskPositions(this.sequence, layer, positions);
    });
  }

  /** Original positions of the held tokens before token index `end`, ascending. */
  heldOrigins(end: number): Int32Array {
    return Int32Array.from(
      this.held.filter((index) => index < end),
      (index) => this.origin[index],
    );
  }

  private visibleOriginal(plan: PhysicalPlan, present: PresentPositions, view: PlanView): Int32Array[] {
    return Array.from({ length: this.shape.nLayers }, (_, layer) =>
      Int32Array.from(visiblePositions(plan, layer, view), (index) => this.origin[present.positions[index]]),
    );
  }

  /**
   * A sliding-window model's window layers reported as what they attend to: the positions of their cache
   * within the window of its last one (whatever the plan kept), with llama.cpp's window width as their
   * budget and no retained-mass figure. (The cache may hold a few older cells, masked, until reused.)
   */
  private withWindowLayersAsHeld(pass: CompressionPass): CompressionPass {
    if (!this.layout.slidingWindow) return pass;
    const held = KvCellMap.read(this.sequence, "window").positions();
    const last = held.at(-1) ?? -1;
    const windowHeld = Int32Array.from(
      held.filter((position) => position > last - this.layout.windowSize),
      (index) => this.originOf(index),
    ).sort();
    const budgets = Int32Array.from(pass.budgets);
    const visible = [...pass.visible];
    const retainedMass = [...pass.retainedMass];
    for (const layer of this.layout.windowLayers) {
      budgets[layer] = this.layout.windowSize;
      visible[layer] = windowHeld;
      retainedMass[layer] = null;
    }
    return { ...pass, budgets, visible, retainedMass };
  }

  /** Exact plan: each layer is masked from the kept cells outside its own set. */
  private applyMasks(plan: PhysicalPlan, present: PresentPositions, view: PlanView): void {
    if (view !== "exact" || !this.probe) return;
    this.probe.clearMasks();
    this.hidden = [];
    const positionAfter = (index: number) => (this.removal === "compact" ? index : present.positions[index]);
    const unionIndexOf = new Map<number, number>();
    plan.union.forEach((denseIndex, unionIndex) => {
      unionIndexOf.set(denseIndex, unionIndex);
    });
    for (let layer = 0; layer < this.shape.nLayers; layer++) {
      const kept = new Set(plan.kept[layer]);
      const hidden: number[] = [];
      for (const denseIndex of plan.union) {
        if (kept.has(denseIndex)) continue;
        hidden.push(positionAfter(this.removal === "compact" ? unionIndexOf.get(denseIndex)! : denseIndex));
      }
      this.hidden[layer] = hidden;
      if (hidden.length) this.probe.maskPositions(this.sequence, layer, hidden);
    }
  }

  /** What a saved state needs to resume this compressor. */
  snapshot(): CompressorSnapshot {
    return { origin: [...this.origin], held: [...this.held], hidden: this.hidden.map((layer) => [...layer]) };
  }

  /** Resumes from a snapshot, once the sequence holds the saved cells again (masks are set anew). */
  resume(snapshot: CompressorSnapshot): void {
    this.origin = [...snapshot.origin];
    this.held = [...snapshot.held];
    this.peakCells = Math.max(this.peakCells, this.held.length);
    this.hidden = snapshot.hidden.map((layer) => [...layer]);
    this.readTokens = null;
    if (!this.probe) return;
    this.probe.clearMasks();
    this.hidden.forEach((positions, layer) => {
      if (positions.length) this.probe!.maskPositions(this.sequence, layer, positions);
    });
  }
}
