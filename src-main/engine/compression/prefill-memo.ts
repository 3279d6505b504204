import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { WindowCapture } from "../../compresskv";
import type { LayerHeads } from "../probe";

/** One recorded evaluation: the state file, and each captured layer's window attention over all its heads. */
interface Recording {
  file: string;
  /** The observation window the captures sum over; 0 when nothing was captured. */
  window: number;
  captures: readonly WindowCapture[];
}

/** What a sequence read into an empty cache: its tokens and the context's size. */
export interface ReadPrompt {
  tokens: readonly Token[];
  contextSize: number;
}

/**
 * The cache after a prompt was read into an empty sequence, and the window attention of every head at
 * its end: sessions that read the same prompt and then compress it differently (the methods and budgets
 * of an evaluation grid) evaluate it once. A hit loads the state file, which holds the cells as the
 * evaluation left them, so the session goes on as if it had evaluated the prompt itself.
 */
export class PrefillMemo {
  private readonly recordings = new Map<string, Recording>();
  private files = 0;
  hits = 0;

  private constructor(private readonly folder: string) {}

  static async create(): Promise<PrefillMemo> {
    return new PrefillMemo(await mkdtemp(join(tmpdir(), "compresskv-prefill-")));
  }

  private static keyOf(prompt: ReadPrompt): string {
    return `${prompt.contextSize}:${createHash("sha256").update(Int32Array.from(prompt.tokens)).digest("hex")}`;
  }

  /**
   * The recorded captures of `layers` over `window` after `prompt`, cut down to the heads asked for (an
   * empty list when none are asked for); undefined when the prompt was not recorded with them.
   */
  captures(prompt: ReadPrompt, layers: readonly LayerHeads[], window: number): WindowCapture[] | undefined {
    const recording = this.recordings.get(PrefillMemo.keyOf(prompt));
    if (!recording) return undefined;
    return layers.length ? capturesOf(recording, layers, window) : [];
  }

  /** Puts the recorded state of `prompt` into `sequence` (which must be of the same context size). */
  async load(sequence: LlamaContextSequence, prompt: ReadPrompt): Promise<void> {
    const recording = this.recordings.get(PrefillMemo.keyOf(prompt));
    if (!recording) throw new Error("the prefill memo holds no state for this prompt");
    await sequence.loadStateFromFile(recording.file, { acceptRisk: true });
    this.hits++;
  }

  /** Saves the state `sequence` holds after reading `prompt`, with the captures made at its end (all heads). */
  async record(
    sequence: LlamaContextSequence,
    prompt: ReadPrompt,
    window: number,
    captures: readonly WindowCapture[],
  ): Promise<void> {
    const key = PrefillMemo.keyOf(prompt);
    const file = this.recordings.get(key)?.file ?? join(this.folder, `state-${this.files++}.bin`);
    await sequence.saveStateToFile(file);
    this.recordings.set(key, { file, window: captures.length ? window : 0, captures });
  }

  async dispose(): Promise<void> {
    this.recordings.clear();
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** The recording's captures cut down to the heads asked for, or undefined when it lacks any of them. */
function capturesOf(recording: Recording, layers: readonly LayerHeads[], window: number): WindowCapture[] | undefined {
  if (recording.window !== window) return undefined;
  const captures: WindowCapture[] = [];
  for (const { layer, heads } of layers) {
    const recorded = recording.captures.find((capture) => capture.layer === layer);
    if (!recorded) return undefined;
    const rows = heads.map((head) => recorded.heads.indexOf(head));
    if (rows.some((row) => row < 0)) return undefined;
    const rowSums = new Float32Array(heads.length * recorded.n);
    rows.forEach((row, i) => {
      rowSums.set(recorded.rowSums.subarray(row * recorded.n, (row + 1) * recorded.n), i * recorded.n);
    });
    captures.push({ layer, heads: [...heads], n: recorded.n, rowSums });
  }
  return captures;
}
