import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import {
  type CompressionSettings,
  DEFAULT_COMPRESSION,
  METHOD_NAMES,
  READING_MODES,
  type ReadingMode,
  readingModeOf,
  withReadingMode,
} from "../api/compression-settings";
import { compressionSettingsSchema, type AnswerStats } from "../api/contract";
import { type ReadDocument, readDocument } from "../documents/read-document";
import type { IngestProgress } from "../engine/document-session";
import { bundledProfilesDataDir, findProfile } from "../calibration";
import { Engine } from "../engine/engine";
import type { LoadedModel } from "../engine/loaded-model";
import { promptFormatFor } from "../engine/prompt-format";
import { defaultDataDir } from "../storage/data-dir";

export const ASK_USAGE =
  `Usage: npm run cli -- ask --model <model.gguf> --doc <document.pdf|.txt|.md> [--max-tokens N] "question"\n` +
  `         [--question "another question"]... [--budget CELLS] [--method ${METHOD_NAMES.join("|")}]\n` +
  `         [--plan shared|exact] [--reading ${READING_MODES.join("|")}] [--reservoir MULTIPLE]\n` +
  `         [--chunk TOKENS] [--pages FIRST-LAST] [--state FOLDER] [--data-dir D]\n` +
  `  Without --budget the whole document stays in the cache (it must fit the model's context).\n` +
  `  --reading (with --budget): reservoir (the default) reads the document once into MULTIPLE x budget cells\n` +
  `    (8 unless --reservoir says) and keeps the budget of them for each question by its attention;\n` +
  `    question-aware reads it again for each question; question-agnostic (or --question-agnostic) once, to the budget.\n` +
  `  --question asks one more question after the first, each on its own, on the same reading of the document.\n` +
  `  --pages reads only those pages of the document (say 1-10, or 7 for one page).\n` +
  `  --state FOLDER (full cache, reservoir or question-agnostic): resume from the document's cache saved there, or save it there.\n` +
  `  CompressKV uses the model's calibration from the data dir (see calibrate); without one it says what it uses.`;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The text of pages `first`-`last` of a document ("3-9", or "4" for one page), as one document. */
export function selectPages(document: ReadDocument, range: string): { text: string; pages: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
  const count = document.pages.length;
  const first = match ? Number(match[1]) : Number.NaN;
  const last = match ? Number(match[2] ?? match[1]) : Number.NaN;
  if (!(first >= 1 && last >= first)) {
    throw new AppError("invalid-request", `--pages takes FIRST-LAST (say 1-10) or one page number, not "${range}"`);
  }
  if (last > count) {
    throw new AppError("invalid-request", `--pages ${range}: the document has ${count} page${count === 1 ? "" : "s"}`);
  }
  const text = document.text.slice(document.pages[first - 1].start, document.pages[last - 1].end);
  if (text.trim().length === 0) throw new AppError("empty-document", `Pages ${range} have no text.`);
  return { text, pages: last - first + 1 };
}

function compressionOptions(values: Values): CompressionSettings | undefined {
  if (values.budget === undefined) {
    if (
      values.method ||
      values.plan ||
      values["question-agnostic"] ||
      values.chunk ||
      values.reading ||
      values.reservoir
    ) {
      throw new AppError(
        "invalid-request",
        "--method, --plan, --chunk, --reading, --reservoir and --question-agnostic need --budget",
      );
    }
    return undefined;
  }
  const reading = readingOption(values);
  const parsed = compressionSettingsSchema.safeParse({
    ...withReadingMode(DEFAULT_COMPRESSION, reading),
    budget: Number(values.budget),
    ...(values.method ? { method: values.method } : {}),
    ...(values.plan ? { plan: values.plan } : {}),
    ...(values.chunk ? { chunkTokens: Number(values.chunk) } : {}),
    ...(values.reservoir !== undefined ? { reservoirMultiple: Number(values.reservoir) } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("invalid-request", `--${String(issue.path[0] ?? "option")}: ${issue.message}`);
  }
  return parsed.data;
}

function readingOption(values: Values): ReadingMode {
  const asked = values.reading as string | undefined;
  if (asked !== undefined && !(READING_MODES as readonly string[]).includes(asked)) {
    throw new AppError("invalid-request", `--reading takes ${READING_MODES.join(", ")}, not "${asked}"`);
  }
  if (values["question-agnostic"] && asked !== undefined && asked !== "question-agnostic") {
    throw new AppError("invalid-request", `--question-agnostic and --reading ${asked} disagree`);
  }
  if (values.reservoir !== undefined && (asked ?? "reservoir") !== "reservoir") {
    throw new AppError("invalid-request", "--reservoir sizes the reservoir: it goes with --reading reservoir");
  }
  return values["question-agnostic"] ? "question-agnostic" : ((asked as ReadingMode | undefined) ?? "reservoir");
}

/** How the document was read for this answer, for the summary. */
function readingSummary(report: NonNullable<AnswerStats["compression"]>): string {
  if (report.reading !== "reservoir") return report.reading;
  const history = report.history;
  const chat =
    history && history.tokens > 0
      ? `, history ${history.tokens} tokens ${history.handling}` +
        (history.droppedTurns ? `, ${history.droppedTurns} oldest turns dropped` : "")
      : "";
  return `reservoir ${report.reservoirCells} cells, answer kept ${report.budget} of them${chat}`;
}

function summary(pages: number, stats: AnswerStats): string {
  const parts = [
    `${pages} pages`,
    `${stats.documentTokens} document tokens`,
    `${stats.generatedTokens} generated`,
    `${stats.cacheCells} cells in use`,
    `prefill ${stats.prefillMs.toFixed(0)} ms`,
    `decode ${stats.decodeMs.toFixed(0)} ms`,
    `stop: ${stats.stopReason}`,
  ];
  const report = stats.compression;
  if (report) {
    parts.push(`${readingSummary(report)}: ${report.method}, ${report.plan} plan, budget ${report.budget}`);
    const windowLayers = report.layers.filter((layer) => layer.window);
    if (windowLayers.length) {
      parts.push(
        `${windowLayers.length} of ${report.layers.length} layers keep their ${windowLayers[0].budget}-token sliding window`,
      );
    }
    if (report.fallbackReason) parts.push(`note: ${report.fallbackReason}`);
    if (report.readingFallbackReason) parts.push(`note: ${report.readingFallbackReason}`);
  }
  return `[${parts.join(", ")}]`;
}

/** The model and the prompts it gets, for the first line on stderr. */
function describePrompts(loaded: LoadedModel): string {
  return `${loaded.info.name} (${loaded.info.fileName}): ${promptFormatFor(loaded).name}`;
}

/** `ask`: reads a document, answers one question (or several, each on its own) with the model, streaming the answers to stdout. */
export async function askCommand(args: string[], output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      doc: { type: "string" },
      "max-tokens": { type: "string" },
      method: { type: "string" },
      budget: { type: "string" },
      plan: { type: "string" },
      chunk: { type: "string" },
      pages: { type: "string" },
      state: { type: "string" },
      "question-agnostic": { type: "boolean" },
      reading: { type: "string" },
      reservoir: { type: "string" },
      question: { type: "string", multiple: true },
      "data-dir": { type: "string" },
    },
  });
  const question = positionals.join(" ").trim();
  if (!values.model || !values.doc || !question) throw new AppError("invalid-request", ASK_USAGE);
  const questions = [question, ...(values.question ?? []).map((q) => q.trim()).filter(Boolean)];
  const maxTokens = values["max-tokens"] ? Number(values["max-tokens"]) : undefined;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new AppError("invalid-request", "--max-tokens takes a positive whole number");
  }
  const compression = compressionOptions(values);
  if (values.state && compression && readingModeOf(compression) === "question-aware") {
    throw new AppError(
      "invalid-request",
      "--state needs the full cache, a reservoir or question-agnostic reading (question-aware reading is per question)",
    );
  }

  const documentPath = resolve(values.doc);
  let bytes: Buffer;
  try {
    bytes = await readFile(documentPath);
  } catch (error) {
    throw new AppError("document-not-found", `${values.doc} can't be read: ${(error as Error).message}`);
  }
  const document = await readDocument(basename(documentPath), bytes);
  const selected = values.pages
    ? selectPages(document, values.pages)
    : { text: document.text, pages: document.pages.length };
  const engine = new Engine();
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  let progressShown = false;
  const onProgress = (p: IngestProgress) => {
    if (p.phase !== "prefill") return;
    const cells = p.cacheCells === undefined ? "" : `, ${p.cacheCells} cells after ${p.passes} compressions`;
    process.stderr.write(`\rreading the document: ${p.doneTokens}/${p.totalTokens} tokens${cells}   `);
    progressShown = true;
  };
  const endProgress = () => {
    if (progressShown) process.stderr.write("\n");
    progressShown = false;
  };
  try {
    const modelPath = resolve(values.model);
    const loaded = await engine.loadModel(modelPath);
    process.stderr.write(`${describePrompts(loaded)}\n`);
    const dataDir = resolve(values["data-dir"] ?? defaultDataDir());
    const dirs = [dataDir, bundledProfilesDataDir(resolve("resources"))];
    const profile = compression ? await findProfile(dirs, modelPath) : undefined;
    await engine.exclusive(async () => {
      const readingStarted = performance.now();
      const session = await engine.sessionFor("cli", selected.text, {
        signal: controller.signal,
        onProgress,
        compression,
        profile,
        ...(values.state ? { restoreFrom: resolve(values.state), saveTo: resolve(values.state) } : {}),
      });
      endProgress();
      if (values.state && session.restored) {
        process.stderr.write(`resumed the document's cache from ${values.state} (not read again)\n`);
      } else if (values.state) {
        // A compressed session saved itself once read; a full cache is saved here.
        if (!compression) await session.saveState(resolve(values.state));
        process.stderr.write(`saved the document's cache to ${values.state}\n`);
      }
      process.stderr.write(`document ready in ${(performance.now() - readingStarted).toFixed(0)} ms\n`);
      for (const [i, asked] of questions.entries()) {
        if (questions.length > 1) process.stderr.write(`question ${i + 1}: ${asked}\n`);
        const answer = await session.ask([], asked, {
          signal: controller.signal,
          maxTokens,
          onProgress,
          onText: (text) => {
            endProgress();
            output.write(text);
          },
        });
        endProgress();
        output.write("\n");
        process.stderr.write(`${summary(selected.pages, answer.stats)}\n`);
        if (answer.stats.stopReason === "cancelled") break;
      }
    });
  } finally {
    process.off("SIGINT", onInterrupt);
    await engine.dispose();
  }
}
