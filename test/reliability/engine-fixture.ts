import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_COMPRESSION, type CompressionSettings } from "../../src-main/api/compression-settings";
import { DocumentSession, type OpenSessionOptions } from "../../src-main/engine/document-session";
import { getRuntime } from "../../src-main/engine/llama-runtime";
import { LoadedModel } from "../../src-main/engine/loaded-model";
import { probeAvailability } from "../../src-main/engine/probe";
import { EOS_ID } from "../models/byte-vocabulary";
import { makeTinyModel } from "../models/make-model";

/** Why the attention probe's tests can't run here; in CI a missing probe is a failure, not a skip. */
export async function probeMissing(): Promise<string | undefined> {
  const availability = probeAvailability(await getRuntime());
  if (availability.available) return undefined;
  if (!["", "0", "false"].includes((process.env.CI ?? "").toLowerCase())) {
    throw new Error(`CI needs the patched addon with the attention probe: ${availability.reason}`);
  }
  return availability.reason;
}

/** A document of `words` filler words: about 6 tokens a word with the byte vocabulary. */
export function fillerDocument(words: number): string {
  return Array.from({ length: words }, (_, i) => `w${(i * 7919) % 1000}`).join(" ");
}

/**
 * The ways a session holds a document: the full cache, compressed once, compressed again per question,
 * and read once into a reservoir of several budgets from which each question keeps the budget.
 */
export const SESSION_KINDS = ["full", "compressed", "question-aware", "reservoir"] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const COMPRESSED: CompressionSettings = {
  ...DEFAULT_COMPRESSION,
  method: "snapkv",
  budget: 96,
  chunkTokens: 128,
  questionAware: false,
};

/** The reservoir of the "reservoir" kind, as a multiple of the budget: 384 cells of about 1,000 document tokens. */
export const RESERVOIR_MULTIPLE = 4;

export function sessionOptions(kind: SessionKind): OpenSessionOptions {
  const base: OpenSessionOptions = { answerReserve: 256, chunkTokens: 128 };
  if (kind === "full") return base;
  const reading = {
    compressed: { questionAware: false, reservoirMultiple: 0 },
    "question-aware": { questionAware: true, reservoirMultiple: 0 },
    reservoir: { questionAware: true, reservoirMultiple: RESERVOIR_MULTIPLE },
  }[kind];
  return { ...base, compression: { ...COMPRESSED, ...reading } };
}

/** A tiny model that never ends an answer early (no end-of-text, no newline), in a temporary folder. */
export interface ModelFixture {
  dir: string;
  loaded: LoadedModel;
  open(kind: SessionKind, text: string, extra?: OpenSessionOptions): Promise<DocumentSession>;
  /** Native contexts alive on the model: each one holds a listener on the model's dispose event. */
  liveContexts(): number;
  close(): Promise<void>;
}

export async function startModelFixture(prefix: string): Promise<ModelFixture> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const path = await makeTinyModel(join(dir, "tiny.gguf"), 3, { neverEmit: [EOS_ID, 10] });
  const loaded = await LoadedModel.load(await getRuntime(), path);
  const idle = loaded.model.onDispose.listenerCount;
  return {
    dir,
    loaded,
    open: (kind, text, extra = {}) => DocumentSession.open(loaded, text, { ...sessionOptions(kind), ...extra }),
    liveContexts: () => loaded.model.onDispose.listenerCount - idle,
    close: async () => {
      await loaded.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
