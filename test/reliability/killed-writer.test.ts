import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../../src-main/api/contract";
import { SeededRandom } from "../models/llama-model";

const CHILD = fileURLToPath(new URL("./saving-child.ts", import.meta.url));
const KILLS = 25;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-killed-writer-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Starts the saving child, waits until it has acknowledged `rounds` saves, lets it run `extraMs`
 * more (so the kill lands anywhere in a write), and SIGKILLs it. Returns the last round it acknowledged.
 */
async function temporaries(): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".tmp"));
}

function runAndKill(rounds: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let acknowledged = -1;
    let seen = 0;
    let errors = "";
    let buffered = "";
    child.stderr.on("data", (data: Buffer) => (errors += data.toString()));
    child.stdout.on("data", (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        acknowledged = Number(line.replace("saved ", ""));
        if (++seen === rounds) setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    });
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`the saving child stopped by itself: ${errors}`));
      else resolve(acknowledged);
    });
  });
}

describe("a process killed while saving leaves the last good chat and state readable", () => {
  it(`SIGKILLs a saving process ${KILLS} times at seeded random moments; every time both files read back whole`, async () => {
    const random = new SeededRandom(9);
    let lastAcknowledged = -1;
    for (let kill = 0; kill < KILLS; kill++) {
      const acknowledged = await runAndKill(1 + Math.floor(random.uniform() * 6), Math.floor(random.uniform() * 25));
      expect(acknowledged, `kill ${kill}`).toBeGreaterThan(lastAcknowledged);

      const chat = JSON.parse(await readFile(join(dir, "chats", "doc.json"), "utf8")) as Chat;
      // Every acknowledged message is there, in order, whole; at most the one in flight beyond.
      expect(chat.messages.length, `kill ${kill}`).toBeGreaterThanOrEqual(acknowledged + 1);
      expect(chat.messages.length, `kill ${kill}`).toBeLessThanOrEqual(acknowledged + 2);
      chat.messages.forEach((message, i) => {
        expect(message.text).toBe(`message ${i} `.repeat(50));
      });

      const state = await readFile(join(dir, "state.bin"));
      const round = Number(state.readBigUInt64LE(0));
      expect(round, `kill ${kill}`).toBeGreaterThanOrEqual(acknowledged);
      expect(round, `kill ${kill}`).toBeLessThanOrEqual(acknowledged + 1);
      expect(
        createHash("sha256").update(state.subarray(40)).digest().equals(state.subarray(8, 40)),
        `kill ${kill}`,
      ).toBe(true);
      lastAcknowledged = chat.messages.length - 1;
    }
    const leftovers = await temporaries();
    console.log(
      `killed writer: ${KILLS} kills, ${lastAcknowledged + 1} chat messages, ${leftovers.length} temporary files left by killed writes`,
    );

    // Once they are old, the next writes of the same files remove them.
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of leftovers) await utimes(join(dir, name), twoHoursAgo, twoHoursAgo);
    await runAndKill(2, 0);
    const remaining = new Set(await temporaries());
    expect(leftovers.filter((name) => remaining.has(name))).toEqual([]);
  }, 300_000);
});
