import { Worker } from "node:worker_threads";
import type { SeededRandom } from "../models/llama-model";
import type { FuzzOutcome } from "./pdf-fuzz-worker";

/** One seeded edit of a PDF's bytes, of the kinds real damage and hostile files show. */
export function mutate(source: Uint8Array, random: SeededRandom): Uint8Array {
  const at = (n: number) => Math.floor(random.uniform() * n);
  const bytes = Buffer.from(source);
  const text = bytes.toString("latin1");
  switch (at(7)) {
    case 0: {
      // Flip a few bytes anywhere.
      for (let flips = 1 + at(8); flips > 0; flips--) bytes[at(bytes.length)] = at(256);
      return new Uint8Array(bytes);
    }
    case 1:
      // Truncate.
      return new Uint8Array(bytes.subarray(0, at(bytes.length)));
    case 2: {
      // Delete a range.
      const start = at(bytes.length);
      return new Uint8Array(Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + 1 + at(200))]));
    }
    case 3: {
      // Insert random bytes.
      const start = at(bytes.length);
      const noise = Buffer.from(Array.from({ length: 1 + at(64) }, () => at(256)));
      return new Uint8Array(Buffer.concat([bytes.subarray(0, start), noise, bytes.subarray(start)]));
    }
    case 4: {
      // Duplicate a range somewhere else.
      const start = at(bytes.length);
      const piece = bytes.subarray(start, start + 1 + at(400));
      const to = at(bytes.length);
      return new Uint8Array(Buffer.concat([bytes.subarray(0, to), piece, bytes.subarray(to)]));
    }
    case 5: {
      // Replace one number with an extreme one (lengths, offsets, counts, object numbers).
      const numbers = [...text.matchAll(/\d+/g)];
      const target = numbers[at(numbers.length)];
      const extremes = ["0", "-1", "4294967295", "99999999999999999999", "2147483648", "1e308", "00000000000"];
      const value = extremes[at(extremes.length)];
      return new Uint8Array(
        Buffer.from(text.slice(0, target.index) + value + text.slice(target.index! + target[0].length), "latin1"),
      );
    }
    default: {
      // Break a keyword of the file's structure.
      const keywords = [
        "obj",
        "endobj",
        "stream",
        "endstream",
        "xref",
        "trailer",
        "startxref",
        " R",
        "/Length",
        "/Kids",
        "/Pages",
        "/Root",
        "<<",
        ">>",
        "[",
        "]",
      ];
      const keyword = keywords[at(keywords.length)];
      const places = [...text.matchAll(new RegExp(keyword.replace(/[[\]/]/g, "\\$&"), "g"))];
      if (places.length === 0) return new Uint8Array(bytes);
      const place = places[at(places.length)].index!;
      const replacements = ["", "<<", ">>", "(", ")", "[", " 0 R", "/Kids [1 0 R]", "\x00\xff"];
      const replacement = replacements[at(replacements.length)];
      return new Uint8Array(
        Buffer.from(text.slice(0, place) + replacement + text.slice(place + keyword.length), "latin1"),
      );
    }
  }
}

export interface FuzzRun {
  outcomes: FuzzOutcome[];
  /** Inputs still unread after `timeoutMs` (the reader was stopped and restarted). */
  hangs: number[];
  /** Inputs that crashed the reading thread. */
  crashes: { id: number; error: string }[];
}

/**
 * Reads each input with the app's document reader in a worker thread, one at a time; an input
 * that is not done within `timeoutMs` counts as a hang and the thread is replaced.
 */
export async function readInWorker(inputs: Uint8Array[], timeoutMs: number): Promise<FuzzRun> {
  const file = new URL("./pdf-fuzz-worker.ts", import.meta.url).href;
  const start = () =>
    new Worker(
      `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}));`,
      {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      },
    );
  const run: FuzzRun = { outcomes: [], hangs: [], crashes: [] };
  let worker = start();
  try {
    for (const [id, bytes] of inputs.entries()) {
      const result = await new Promise<FuzzOutcome | "hang" | Error>((resolve) => {
        const timer = setTimeout(() => resolve("hang"), timeoutMs);
        const done = (value: FuzzOutcome | Error) => {
          clearTimeout(timer);
          worker.off("message", done);
          worker.off("error", done);
          resolve(value);
        };
        worker.on("message", done);
        worker.on("error", done);
        worker.postMessage({ id, bytes });
      });
      if (result === "hang" || result instanceof Error) {
        if (result === "hang") run.hangs.push(id);
        else run.crashes.push({ id, error: String(result) });
        await worker.terminate();
        worker = start();
      } else {
        run.outcomes.push(result);
      }
    }
  } finally {
    await worker.terminate();
  }
  return run;
}
