import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../errors/app-error";
import { writeJsonAtomic } from "../../storage/atomic-file";
import type { CompressionPass, CompressorSnapshot, RemovalMode } from "../compression/cache-compressor";
import type { CompressionSettings, ReadingMode } from "../compression/compression-settings";
import { PassTally, type SessionParts } from "./session-parts";

const STATE_VERSION = 1;
const STATE_FILE = "cache.bin";
const SESSION_FILE = "session.json";

/** The description saved beside a sequence state file. */
interface SavedSession {
  version: number;
  model: { fileName: string; sizeBytes: number; layers: number };
  documentTokens: number;
  contextSize: number;
  compression: {
    settings: CompressionSettings;
    removal: RemovalMode;
    reading: ReadingMode;
    /** Cells the document was read into (the reservoir, or the budget). */
    readCells: number;
    documentEnd: number;
    snapshot: CompressorSnapshot;
    passes: number;
    lastPass: Record<keyof CompressionPass, unknown> | null;
  } | null;
}

function passToJson(pass: CompressionPass): Record<keyof CompressionPass, unknown> {
  return { ...pass, budgets: [...pass.budgets], visible: pass.visible.map((v) => [...v]), union: [...pass.union] };
}

function passFromJson(json: Record<keyof CompressionPass, unknown>): CompressionPass {
  return {
    ...(json as unknown as CompressionPass),
    budgets: Int32Array.from(json.budgets as number[]),
    visible: (json.visible as number[][]).map((v) => Int32Array.from(v)),
    union: Int32Array.from(json.union as number[]),
  };
}

/** Whether a session has a document state worth saving (question-aware sessions read per question). */
export function canSaveState(parts: SessionParts): boolean {
  return !parts.compression || parts.compression.documentEnd !== null;
}

/** Writes the document's cache and what is needed to resume it into `folder`. */
export async function saveState(parts: SessionParts, folder: string): Promise<void> {
  if (!canSaveState(parts))
    throw new AppError(
      "not-available",
      "Question-aware sessions read the document per question; there is no state to save.",
    );
  const { compression, sequence, prefix, model, ingestTally } = parts;
  // Drop any chat after the document: the saved state is the document alone.
  if (compression) await compression.compressor.eraseFrom(compression.documentEnd!);
  else if (sequence.nextTokenIndex > prefix.length) {
    await sequence.eraseContextTokenRanges([{ start: prefix.length, end: sequence.nextTokenIndex }]);
  }
  if (compression?.compressor.removal === "compact") await applyPendingShift(parts, compression.documentEnd!);
  await mkdir(folder, { recursive: true });
  await rm(join(folder, SESSION_FILE), { force: true });
  await sequence.saveStateToFile(join(folder, STATE_FILE));
  const snapshot = compression ? compression.compressor.snapshot() : null;
  const saved: SavedSession = {
    version: STATE_VERSION,
    model: {
      fileName: model.info.fileName,
      sizeBytes: model.info.sizeBytes,
      layers: model.info.layers,
    },
    documentTokens: prefix.length,
    contextSize: parts.context.contextSize,
    compression: compression
      ? {
          settings: compression.settings,
          removal: compression.compressor.removal,
          reading: compression.reading,
          readCells: compression.readCells,
          documentEnd: compression.documentEnd!,
          snapshot: snapshot!,
          passes: ingestTally.passes,
          lastPass: ingestTally.last ? passToJson(ingestTally.last) : null,
        }
      : null,
  };
  // Written last: a folder without it holds no usable state.
  await writeJsonAtomic(join(folder, SESSION_FILE), saved);
  // A restore packs the kept cells together, where compression had left them scattered; the order
  // of the cells changes how attention sums, and a quantised model turns that into visibly different
  // probabilities (1e-2 on SmolLM2). Going on from the file, as a restore does, keeps the answers
  // before and after a restart identical.
  if (snapshot) await loadCells(parts, folder, snapshot);
}

/**
 * A compacting removal shifts positions and llama.cpp re-rotates the keys only at the next evaluation, while
 * a state file holds the keys as they are: saved before that, they keep their old rotation under their new
 * positions (0.07 in probability on the tiny test model; SmolLM2 answered nonsense). One token evaluated
 * after the document, then erased, applies the shift first.
 */
async function applyPendingShift(parts: SessionParts, documentEnd: number): Promise<void> {
  await parts.sequence.evaluateWithoutGeneratingNewTokens([parts.prefix[parts.prefix.length - 1]]);
  await parts.compression!.compressor.eraseFrom(documentEnd);
}

/**
 * Packs a document state's cells together as a restore would (through a state file in a temporary
 * folder), so that the answers of this session equal those of any session restored from its state.
 */
export async function packCells(parts: SessionParts): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), "compresskv-state-"));
  try {
    await saveState(parts, folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Puts the saved cells into the sequence and, for a compressed session, resumes its compressor on them. */
async function loadCells(parts: SessionParts, folder: string, snapshot: CompressorSnapshot | null): Promise<void> {
  await parts.sequence.loadStateFromFile(join(folder, STATE_FILE), { acceptRisk: true });
  if (snapshot) parts.compression?.compressor.resume(snapshot);
}

/** Loads a state saved by a session like this one; false (and nothing changed) when it does not match. */
export async function restoreState(parts: SessionParts, folder: string): Promise<boolean> {
  let saved: SavedSession;
  try {
    saved = JSON.parse(await readFile(join(folder, SESSION_FILE), "utf8")) as SavedSession;
  } catch {
    return false;
  }
  const { compression, model } = parts;
  const matches =
    saved.version === STATE_VERSION &&
    saved.model.fileName === model.info.fileName &&
    saved.model.sizeBytes === model.info.sizeBytes &&
    saved.documentTokens === parts.prefix.length &&
    saved.contextSize === parts.context.contextSize &&
    (compression === null
      ? saved.compression === null
      : saved.compression !== null &&
        compression.reading !== "question-aware" &&
        saved.compression.reading === compression.reading &&
        saved.compression.readCells === compression.readCells &&
        saved.compression.removal === compression.compressor.removal &&
        JSON.stringify(saved.compression.settings) === JSON.stringify(compression.settings));
  if (!matches) return false;
  await loadCells(parts, folder, saved.compression?.snapshot ?? null);
  if (compression && saved.compression) {
    compression.documentEnd = saved.compression.documentEnd;
    const tally = new PassTally();
    tally.passes = saved.compression.passes;
    tally.last = saved.compression.lastPass ? passFromJson(saved.compression.lastPass) : null;
    parts.ingestTally = tally;
  }
  return true;
}
