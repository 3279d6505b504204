import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { DEFAULT_COMPRESSION, METHOD_NAMES, type CompressionSettings } from "../api/compression-settings";
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
  `         [--budget CELLS] [--method ${METHOD_NAMES.join("|")}]\n` +
  `         [--plan shared|exact] [--question-agnostic] [--chunk TOKENS] [--pages FIRST-LAST] [--data-dir D]\n` +
  `  Without --budget the whole document stays in the cache (it must fit the model's context).\n` +
  `  --pages reads only those pages of the document (say 1-10, or 7 for one page).\n` +
  `  --state FOLDER (full cache or --question-agnostic): resume from the document's cache saved there, or save it there.\n` +
  `  CompressKV uses the model's calibration from the data dir (see calibrate); without one it says what it uses.`;

type Values = Record<string, string | boolean | undefined>;

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
    if (values.method || values.plan || values["question-agnostic"] || values.chunk) {
      throw new AppError("invalid-request", "--method, --plan, --chunk and --question-agnostic need --budget");
    }
    return undefined;
  }
  const parsed = compressionSettingsSchema.safeParse({
    ...DEFAULT_COMPRESSION,
    budget: Number(values.budget),
    ...(values.method ? { method: values.method } : {}),
    ...(values.plan ? { plan: values.plan } : {}),
    ...(values.chunk ? { chunkTokens: Number(values.chunk) } : {}),
    questionAware: !values["question-agnostic"],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("invalid-request", `--${String(issue.path[0] ?? "option")}: ${issue.message}`);
  }
  return parsed.data;
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
    parts.push(
      `${report.method}${report.questionAware ? ", question-aware" : ""}, ${report.plan} plan, budget ${report.budget}`,
    );
    if (report.fallbackReason) parts.push(`note: ${report.fallbackReason}`);
  }
  return `[${parts.join(", ")}]`;
}

/** The model and the prompts it gets, for the first line on stderr. */
function describePrompts(loaded: LoadedModel): string {
  return `${loaded.info.name} (${loaded.info.fileName}): ${promptFormatFor(loaded).name}`;
}

/** `ask`: reads a document, answers one question with the model, streaming the answer to stdout. */
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
      "data-dir": { type: "string" },
    },
  });
  const question = positionals.join(" ").trim();
  if (!values.model || !values.doc || !question) throw new AppError("invalid-request", ASK_USAGE);
  const maxTokens = values["max-tokens"] ? Number(values["max-tokens"]) : undefined;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new AppError("invalid-request", "--max-tokens takes a positive whole number");
  }
  const compression = compressionOptions(values);
  if (values.state && compression?.questionAware) {
    throw new AppError(
      "invalid-request",
      "--state needs the full cache or --question-agnostic (question-aware reading is per question)",
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
    const answer = await engine.exclusive(async () => {
      const session = await engine.sessionFor("cli", selected.text, {
        signal: controller.signal,
        onProgress,
        compression,
        profile,
        ...(values.state ? { restoreFrom: resolve(values.state), saveTo: resolve(values.state) } : {}),
      });
      if (values.state && session.restored) {
        process.stderr.write(`resumed the document's cache from ${values.state} (not read again)\n`);
      } else if (values.state) {
        // A compressed session saved itself once read; a full cache is saved here.
        if (!compression) await session.saveState(resolve(values.state));
        process.stderr.write(`saved the document's cache to ${values.state}\n`);
      }
      return session.ask([], question, {
        signal: controller.signal,
        maxTokens,
        onProgress,
        onText: (text) => {
          endProgress();
          output.write(text);
        },
      });
    });
    endProgress();
    output.write("\n");
    process.stderr.write(`${summary(selected.pages, answer.stats)}\n`);
  } finally {
    process.off("SIGINT", onInterrupt);
    await engine.dispose();
  }
}
