import { defaultFactCount, makeCodeLookupPrompt } from "../tasks/code-lookup-task";
import type { EvalItem } from "./eval-item";

/**
 * Needle-in-a-haystack items from the code-lookup task: facts "The code of <name> is <digits>." hidden in
 * filler text, one of them asked for. `niah` has the task's usual handful of look-alike facts; `multikey`
 * packs one fact per 64 characters, so the asked key must be told apart from many others (RULER's
 * multi-key needle task).
 */
export type NiahTask = "niah" | "multikey";

export interface NiahGridOptions {
  task: NiahTask;
  /** Context lengths in tokens. */
  lengths: number[];
  /** Relative depths of the asked fact, 0 (start) to 1 (end). */
  depths: number[];
  /** Items per (length, depth) cell. */
  samples: number;
  seed: number;
  /** Characters per token of the model's tokenizer on this kind of text (1 for byte-level models). */
  charactersPerToken: number;
  /**
   * completion: the cue "The code of Bako is" is the question and the answer is its continuation up to
   * the period; chat: a question asking for the number.
   */
  style: "completion" | "chat";
}

const MULTIKEY_CHARACTERS_PER_FACT = 64;
/** Tokens of a context left for BOS, the question's separator and the answer. */
const CONTEXT_RESERVE = 8;

/** Where the closing question starts: right after the last sentence of the text. */
function questionStart(prompt: string): number {
  return prompt.lastIndexOf(". ") + 2;
}

export function niahItems(options: NiahGridOptions): EvalItem[] {
  const items: EvalItem[] = [];
  options.lengths.forEach((length, lengthIndex) => {
    const characters = Math.floor((length - CONTEXT_RESERVE) * options.charactersPerToken);
    const factCount =
      options.task === "multikey"
        ? Math.max(defaultFactCount(characters), Math.floor(characters / MULTIKEY_CHARACTERS_PER_FACT))
        : undefined;
    options.depths.forEach((depth, depthIndex) => {
      for (let sample = 0; sample < options.samples; sample++) {
        const seed = options.seed + 1_000_000 * lengthIndex + 10_000 * depthIndex + sample;
        const task = makeCodeLookupPrompt({ seed, length: characters, depth, factCount });
        const start = questionStart(task.prompt);
        const asked = task.facts[task.askedFact];
        const subject = task.prompt.slice(asked.sentence.start, asked.valueSpan.start).replace(/ is $/, "");
        const chat = options.style === "chat";
        items.push({
          id: `${options.task}-${length}-d${depth}-s${sample}`,
          context: task.prompt.slice(0, start).trimEnd(),
          question: chat
            ? `What is ${subject[0].toLowerCase()}${subject.slice(1)}? Reply with the number only.`
            : task.prompt.slice(start),
          answers: [task.answer],
          metric: chat ? "rouge1-recall" : "exact-match",
          maxTokens: chat ? 32 : task.answer.length + 2,
          stop: chat ? ["\n"] : ["."],
          grid: { length, depth },
        });
      }
    });
  });
  return items;
}
