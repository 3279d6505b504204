/**
 * Writes the sample document shipped with the app (resources/samples/): a short PDF of look-alike
 * facts ("The code of Bako is 48213.") in plain filler, the kind of text the bundled retrieval
 * demo model answers cues about. Deterministic: the same file on every run and platform.
 * Usage: npm run make:sample-document -- [output path]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { makeCodeLookupPrompt } from "../src-main/tasks/code-lookup-task";
import { makePdf } from "../test/fixtures/pdf-writer";

export const SAMPLE_DOCUMENT_FILE = "resources/samples/harbour-codes.pdf";

const SEED = 2026;
/** The demo model reads 2,048 byte tokens with the whole cache; the text stays below that. */
const TEXT_CHARACTERS = 1900;
const FACTS = 10;
const PAGES = 4;
/** Helvetica 11 pt on a US Letter page with the writer's margins holds about this many characters a line. */
const LINE_CHARACTERS = 88;

/** Sentences of the text, each fact whole: a line break inside a fact would change its characters. */
function sentencesOf(text: string): string[] {
  return text.trim().split(/(?<=\.) /);
}

/** Packs sentences into lines, breaking only between sentences. */
function lines(sentences: string[]): string[] {
  const result: string[] = [];
  let line = "";
  for (const sentence of sentences) {
    if (line && line.length + 1 + sentence.length > LINE_CHARACTERS) {
      result.push(line);
      line = sentence;
    } else {
      line = line ? `${line} ${sentence}` : sentence;
    }
  }
  if (line) result.push(line);
  return result;
}

export function sampleDocumentPages(): string[][] {
  const task = makeCodeLookupPrompt({ seed: SEED, length: TEXT_CHARACTERS, factCount: FACTS, queryStyle: "repeat" });
  const text = task.prompt.slice(0, task.prompt.length - queryLength(task.prompt, task.facts[task.askedFact].name));
  const sentences = sentencesOf(text);
  const perPage = Math.ceil(sentences.length / PAGES);
  const pages: string[][] = [];
  for (let page = 0; page < PAGES; page++) {
    pages.push(lines(sentences.slice(page * perPage, (page + 1) * perPage)));
  }
  return pages;
}

/** The task ends with the asked fact's opening ("The code of Bako is "); the document leaves it out. */
function queryLength(prompt: string, name: string): number {
  const query = prompt.slice(prompt.lastIndexOf(". ") + 2);
  if (!query.includes(name)) throw new Error("sample document: the task's query was not where expected");
  return query.length;
}

const path = process.argv[2] ?? SAMPLE_DOCUMENT_FILE;
await mkdir(dirname(path), { recursive: true });
await writeFile(path, makePdf(sampleDocumentPages()));
console.log(`wrote ${path}`);
