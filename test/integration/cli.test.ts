import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNumberedPdf } from "../fixtures/pdf-writer";
import { makeTinyModel } from "../models/make-model";

const run = promisify(execFile);
const TSX = resolve("node_modules/.bin/tsx");
const CLI = resolve("src-main/cli/index.ts");

let dir: string;
let model: string;
let pdf: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-cli-"));
  model = await makeTinyModel(join(dir, "tiny.gguf"), 1);
  pdf = join(dir, "ships.pdf");
  await writeFile(pdf, makeNumberedPdf(3));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run cli -- ask", () => {
  it("answers a question about a PDF, streaming to stdout", async () => {
    const result = await cli("ask", "--model", model, "--doc", pdf, "--max-tokens", "6", "Which ship?");
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(1);
    expect(result.stderr).toMatch(
      /\[3 pages, \d+ document tokens, 6 generated, \d+ cells in use, .* stop: max-tokens\]/,
    );
  });

  it("compresses the cache to a budget when asked", async () => {
    const result = await cli(
      "ask",
      "--model",
      model,
      "--doc",
      pdf,
      "--max-tokens",
      "3",
      "--budget",
      "64",
      "--method",
      "streaming-llm",
      "--chunk",
      "128",
      "--question-agnostic",
      "Which ship?",
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/cells after \d+ compressions/);
    expect(result.stderr).toMatch(/, \d+ cells in use, .*question-agnostic: streaming-llm, shared plan, budget 64\]/);
  });

  it("reads into a reservoir by default and answers several questions from one reading", async () => {
    const state = join(dir, "reservoir-state");
    const args = ["ask", "--model", model, "--doc", pdf, "--max-tokens", "3", "--budget", "64", "--method", "snapkv"];
    const asked = ["--chunk", "128", "--reservoir", "2", "Which ship?", "--question", "Which page?"];
    const first = await cli(...args, ...asked, "--state", state);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("question 2: Which page?");
    const summaries = first.stderr.match(
      /reservoir 128 cells, answer kept 64 of them: snapkv, shared plan, budget 64\]/g,
    );
    expect(summaries).toHaveLength(2);
    expect(first.stderr).toContain(`saved the document's cache to ${state}`);
    const again = await cli(...args, ...asked, "--state", state);
    expect(again.stderr).toContain(`resumed the document's cache from ${state} (not read again)`);
    expect(again.stdout).toBe(first.stdout);
    const wrong = await cli(...args, "--reading", "question-aware", "--reservoir", "2", "Which ship?");
    expect(wrong).toMatchObject({
      code: 2,
      stderr: "error: --reservoir sizes the reservoir: it goes with --reading reservoir\n",
    });
  });

  it("refuses compression options without a budget, and bad values", async () => {
    const noBudget = await cli("ask", "--model", model, "--doc", pdf, "--method", "snapkv", "Which ship?");
    expect(noBudget).toMatchObject({
      code: 2,
      stderr: "error: --method, --plan, --chunk, --reading, --reservoir and --question-agnostic need --budget\n",
    });
    const badPlan = await cli("ask", "--model", model, "--doc", pdf, "--budget", "64", "--plan", "wide", "Which ship?");
    expect(badPlan.code).toBe(2);
    expect(badPlan.stderr).toMatch(/^error: --plan: /);
  });

  it("says clearly when the model file is not GGUF", async () => {
    const notModel = join(dir, "notes.txt");
    await writeFile(notModel, "plain text");
    const result = await cli("ask", "--model", notModel, "--doc", pdf, "Which ship?");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: notes.txt is not a GGUF model file. Open a .gguf file (llama.cpp format).\n");
  });

  it("says clearly when the PDF is corrupt", async () => {
    const broken = join(dir, "broken.pdf");
    await writeFile(broken, "%PDF-1.4 this is not really a pdf");
    const result = await cli("ask", "--model", model, "--doc", broken, "Which ship?");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: This file is not a readable PDF/);
  });

  it("prints usage for missing arguments", async () => {
    const result = await cli("ask", "--model", model);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: npm run cli -- ask --model");
  });
});
