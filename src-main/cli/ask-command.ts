import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { readDocument } from "../documents/read-document";
import { Engine } from "../engine/engine";

export const ASK_USAGE = `Usage: npm run cli -- ask --model <model.gguf> --doc <document.pdf|.txt|.md> [--max-tokens N] "question"`;

/** `ask`: reads a document, answers one question with the model, streaming the answer to stdout. */
export async function askCommand(args: string[], output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      doc: { type: "string" },
      "max-tokens": { type: "string" },
    },
  });
  const question = positionals.join(" ").trim();
  if (!values.model || !values.doc || !question) throw new AppError("invalid-request", ASK_USAGE);
  const maxTokens = values["max-tokens"] ? Number(values["max-tokens"]) : undefined;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new AppError("invalid-request", "--max-tokens takes a positive whole number");
  }

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
  try {
    await engine.loadModel(resolve(values.model));
    const answer = await engine.exclusive(async () => {
      const session = await engine.sessionFor("cli", document.text, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "prefill") process.stderr.write(`\rreading the document: ${p.doneTokens}/${p.totalTokens} tokens`);
        },
      });
      process.stderr.write("\n");
      return session.ask([], question, {
        signal: controller.signal,
        maxTokens,
        onText: (text) => output.write(text),
      });
    });
    output.write("\n");
    const s = answer.stats;
    process.stderr.write(
      `[${document.pages.length} pages, ${s.documentTokens} document tokens, ${s.generatedTokens} generated, ` +
        `prefill ${s.prefillMs.toFixed(0)} ms, decode ${s.decodeMs.toFixed(0)} ms, stop: ${s.stopReason}]\n`,
    );
  } finally {
    process.off("SIGINT", onInterrupt);
    await engine.dispose();
  }
}
