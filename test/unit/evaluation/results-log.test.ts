import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResultsLog } from "../../../src-main/evaluation/results-log";
import type { TrialResult } from "../../../src-main/evaluation/trial-result";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "results-log-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trial = (key: string, score: number) => ({ key, score }) as unknown as TrialResult;

describe("the results log", () => {
  it("appends one line per trial and reads them back in order", async () => {
    const path = join(dir, "results.jsonl");
    const log = await ResultsLog.open(path);
    expect(log.size).toBe(0);
    await log.append(trial("a|full", 1));
    await log.append(trial("b|full", 0));
    await expect(log.append(trial("a|full", 1))).rejects.toThrow("a|full is already in");
    expect(await readFile(path, "utf8")).toBe(`{"key":"a|full","score":1}\n{"key":"b|full","score":0}\n`);
    const again = await ResultsLog.open(path);
    expect(again.results()).toEqual([trial("a|full", 1), trial("b|full", 0)]);
    expect(again.has("b|full")).toBe(true);
    expect(again.has("c|full")).toBe(false);
  });

  it("drops a last line cut off by a kill, from the file too", async () => {
    const path = join(dir, "results.jsonl");
    await writeFile(path, `{"key":"a|full","score":1}\n{"key":"b|fu`);
    const log = await ResultsLog.open(path);
    expect(log.results()).toEqual([trial("a|full", 1)]);
    expect(await readFile(path, "utf8")).toBe(`{"key":"a|full","score":1}\n`);
    await log.append(trial("b|full", 1));
    expect((await ResultsLog.open(path)).size).toBe(2);
  });

  it("refuses a damaged or repeated line inside the file, naming it", async () => {
    const path = join(dir, "results.jsonl");
    await writeFile(path, `{"key":"a|full","score":1}\n{oops}\n{"key":"c|full","score":1}\n`);
    await expect(ResultsLog.open(path)).rejects.toThrow(`${path} line 2 is damaged`);
    await writeFile(path, `{"key":"a|full","score":1}\n`);
    await appendFile(path, `{"key":"a|full","score":0}\n`);
    await expect(ResultsLog.open(path)).rejects.toThrow(`${path} line 2: trial a|full is there twice`);
  });
});
