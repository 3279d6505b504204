import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { DEFAULT_COMPRESSION, METHOD_NAMES, type CompressionSettings } from "../api/compression-settings";
import { compressionSettingsSchema, type AnswerStats } from "../api/contract";
import { readDocument } from "../documents/read-document";
import type { IngestProgress } from "../engine/document-session";
import { bundledProfilesDataDir, findProfile } from "../calibration";
import { Engine } from "../engine/engine";
import { defaultDataDir } from "../storage/data-dir";

export const ASK_USAGE =
  `Usage: npm run cli -- ask --model <model.gguf> --doc <document.pdf|.txt|.md> [--max-tokens N] "question"\n` +
  `         [--budget CELLS] [--method ${METHOD_NAMES.join("|")}]\n` +
  `         [--plan shared|exact] [--question-agnostic] [--chunk TOKENS] [--data-dir D]\n` +
  `  Without --budget the whole document stays in the cache (it must fit the model's context).\n` +
  `  CompressKV uses the model's calibration from the data dir (see calibrate); without one it says what it uses.`;

type Values = Record<string, string | boolean | undefined>;

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

  const documentPath = resolve(values.doc);
  let bytes: Buffer;
  try {
    bytes = await readFile(documentPath);
  } catch (error) {
    throw new AppError("document-not-found", `${values.doc} can't be read: ${(error as Error).message}`);
  }
  const document = await readDocument(basename(documentPath), bytes);
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
    await engine.loadModel(modelPath);
    const dataDir = resolve(values["data-dir"] ?? defaultDataDir());
    const dirs = [dataDir, bundledProfilesDataDir(resolve("resources"))];
    const profile = compression ? await findProfile(dirs, modelPath) : undefined;
    const answer = await engine.exclusive(async () => {
      const session = await engine.sessionFor("cli", document.text, {
        signal: controller.signal,
        onProgress,
        compression,
        profile,
      });
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
    process.stderr.write(`${summary(document.pages.length, answer.stats)}\n`);
  } finally {
    process.off("SIGINT", onInterrupt);
    await engine.dispose();
  }
}
