import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../api/app-error";
import { readDocument } from "../documents/read-document";
import { defaultDataDir } from "../storage/data-dir";
import {
  calibrateAndSave,
  readBundledHaystack,
  topSemanticHeads,
  type CalibrationProfile,
  type CalibrationProgress,
  type CalibrationSettings,
} from "../calibration";
import { getRuntime } from "../engine/llama-runtime";
import { LoadedModel } from "../engine/loaded-model";
import { probeAvailability } from "../engine/probe";

export const CALIBRATE_USAGE =
  "Usage: npm run cli -- calibrate --model <model.gguf> [--data-dir D] [--lengths 512,1024,...] [--depths N]\n" +
  "         [--max-tokens N] [--haystack <document.pdf|.txt|.md>]\n" +
  "  Finds the model's semantic retrieval heads and layer weights and stores them under <data dir>/profiles/.";

function positiveInteger(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new AppError("invalid-request", `${option} takes positive whole numbers`);
  return number;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

function progressLine(progress: CalibrationProgress): string {
  const { probesDone, probesTotal, probesCounted, tokensDone, tokensTotal, elapsedMs, last } = progress;
  const remaining = (elapsedMs * (tokensTotal - tokensDone)) / tokensDone;
  const verdict = last.correct ? "right" : `wrong: ${JSON.stringify(last.generated.trim().slice(0, 24))}`;
  return (
    `probe ${probesDone}/${probesTotal} (${probesCounted} counted), ${last.length} tokens at depth ${last.depth.toFixed(2)}: ` +
    `${verdict}; ${formatDuration(elapsedMs)} elapsed, about ${formatDuration(remaining)} left`
  );
}

/** The profile as a person reads it: top heads and layer weight per layer. */
export function profileSummary(profile: CalibrationProfile): string {
  const k = profile.settings.headsPerLayer;
  const lines = [
    `${profile.model.fileName}: ${profile.probes.counted} of ${profile.probes.run} probes answered right ` +
      `(${formatDuration(profile.durationMs)}); layer weights from errors per probe length`,
    `layer  weight  semantic retrieval heads (score)              top-1 retrieval heads`,
  ];
  topSemanticHeads(profile, k).forEach((heads, layer) => {
    const semantic = heads.map((head) => `${head} (${profile.semanticScores[layer][head].toFixed(3)})`).join(", ");
    const retrieval = profile.retrievalHeads[layer].slice(0, k).join(", ");
    lines.push(
      `${String(layer).padStart(5)}  ${profile.layerWeights[layer].toFixed(4)}  ${semantic.padEnd(44)}  ${retrieval}`,
    );
  });
  return lines.join("\n");
}

/** The text of the document the needles are hidden in: a PDF, .txt or .md file (a PDF's text layer). */
async function haystackText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(path));
  } catch (error) {
    throw new AppError("document-not-found", `${path} can't be read: ${(error as Error).message}`);
  }
  return (await readDocument(basename(path), bytes)).text;
}

/** `calibrate`: runs needle probes on a model, stores its profile and prints the top heads per layer. */
export async function calibrateCommand(args: string[], output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      "data-dir": { type: "string" },
      lengths: { type: "string" },
      depths: { type: "string" },
      "max-tokens": { type: "string" },
      haystack: { type: "string" },
    },
  });
  if (!values.model) throw new AppError("invalid-request", CALIBRATE_USAGE);
  const settings: Partial<CalibrationSettings> = {
    ...(values.lengths && {
      lengths: values.lengths.split(",").map((length) => positiveInteger(length.trim(), "--lengths")),
    }),
    ...(values.depths && { depths: positiveInteger(values.depths, "--depths") }),
    ...(values["max-tokens"] && { maxTokens: positiveInteger(values["max-tokens"], "--max-tokens") }),
  };
  const haystack = values.haystack
    ? { text: await haystackText(values.haystack), source: "document" as const }
    : { text: await readBundledHaystack(resolve("resources")), source: "built-in" as const };
  const dataDir = resolve(values["data-dir"] ?? defaultDataDir());

  const llama = await getRuntime();
  const availability = probeAvailability(llama);
  if (!availability.available)
    throw new AppError("not-available", `calibration needs the attention probe: ${availability.reason}`);
  const loaded = await LoadedModel.load(llama, resolve(values.model));
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  try {
    const { profile, path } = await calibrateAndSave(dataDir, loaded, {
      haystack,
      settings,
      signal: controller.signal,
      onProgress: (progress) => process.stderr.write(`${progressLine(progress)}\n`),
    });
    output.write(`${profileSummary(profile)}\nprofile saved to ${path}\n`);
  } finally {
    process.off("SIGINT", onInterrupt);
    await loaded.dispose();
  }
}
