import type { HaystackTask } from "../tasks/haystack-task";
import { makeMultikeyNeedleTask } from "../tasks/multikey-needle-task";
import { makeNeedleTask } from "../tasks/needle-task";
import { makePasskeyTask } from "../tasks/passkey-task";
import { makeVariableTrackingTask } from "../tasks/variable-tracking-task";
import type { EvalItem } from "./eval-item";

/**
 * Items of the haystack tasks (src-main/tasks): `needle` (one sentence in real prose, the paper's
 * style), `passkey` (a key in repeated filler), `multikey-needle` (RULER's niah_multikey on real prose)
 * and `variable-tracking` (RULER's multi-hop chain on real prose), on a grid of context length (tokens)
 * x depth, `samples` items per cell. Questions are asked as a chat user would; answers scored by ROUGE-1
 * recall.
 */
export const HAYSTACK_TASKS = ["needle", "passkey", "multikey-needle", "variable-tracking"] as const;
export type HaystackTaskName = (typeof HAYSTACK_TASKS)[number];

export function isHaystackTask(name: string): name is HaystackTaskName {
  return (HAYSTACK_TASKS as readonly string[]).includes(name);
}

export interface HaystackGridOptions {
  task: HaystackTaskName;
  /** Context lengths in tokens. */
  lengths: number[];
  depths: number[];
  samples: number;
  seed: number;
  /** Characters per token of the model's tokenizer on the haystack's text. */
  charactersPerToken: number;
  /** Real prose the passages are cut from (not read by `passkey`). */
  haystack: string;
}

/** Tokens of a context left for BOS and the chat format around the document. */
const CONTEXT_RESERVE = 8;

const ANSWER_TOKENS: Record<HaystackTaskName, number> = {
  needle: 40,
  passkey: 16,
  "multikey-needle": 16,
  "variable-tracking": 40,
};

function makeTask(options: HaystackGridOptions, seed: number, length: number, depth: number): HaystackTask {
  const haystack = options.haystack;
  switch (options.task) {
    case "needle":
      return makeNeedleTask({ seed, length, depth, haystack });
    case "passkey":
      return makePasskeyTask({ seed, length, depth });
    case "multikey-needle":
      return makeMultikeyNeedleTask({ seed, length, depth, haystack });
    case "variable-tracking":
      return makeVariableTrackingTask({ seed, length, depth, haystack });
  }
}

export function haystackItems(options: HaystackGridOptions): EvalItem[] {
  const items: EvalItem[] = [];
  options.lengths.forEach((length, lengthIndex) => {
    const characters = Math.floor((length - CONTEXT_RESERVE) * options.charactersPerToken);
    options.depths.forEach((depth, depthIndex) => {
      for (let sample = 0; sample < options.samples; sample++) {
        const seed = options.seed + 1_000_000 * lengthIndex + 10_000 * depthIndex + sample;
        const task = makeTask(options, seed, characters, depth);
        items.push({
          id: `${options.task}-${length}-d${depth}-s${sample}`,
          context: task.context,
          question: task.question,
          answers: task.answers,
          metric: "rouge1-recall",
          maxTokens: ANSWER_TOKENS[options.task],
          // Variable tracking's answer is a list, often one name a line: read all of it.
          stop: options.task === "variable-tracking" ? [] : ["\n"],
          grid: { length, depth },
          answerSpans: task.answerSpans,
        });
      }
    });
  });
  return items;
}
