import { describe, expect, it } from "vitest";
import { niahItems, type NiahGridOptions } from "../../../src-main/evaluation/niah-items";
import { makeCodeLookupPrompt } from "../../../src-main/tasks/code-lookup-task";

const options: NiahGridOptions = {
  task: "niah",
  lengths: [512, 1024],
  depths: [0, 0.5, 1],
  samples: 2,
  seed: 3,
  charactersPerToken: 1,
  style: "completion",
};

describe("NIAH grid items", () => {
  const items = niahItems(options);

  it("fill every length x depth cell with the asked number of samples, ids unique", () => {
    expect(items).toHaveLength(12);
    expect(new Set(items.map((item) => item.id)).size).toBe(12);
    expect(items.filter((item) => item.grid!.length === 1024 && item.grid!.depth === 0.5)).toHaveLength(2);
  });

  it("split the code-lookup prompt so the cue is the question (completion models)", () => {
    // The second sample of length 1024, depth 0.5: seed 3 + 1 000 000 * 1 + 10 000 * 1 + 1.
    const item = items.find((candidate) => candidate.id === "niah-1024-d0.5-s1")!;
    const task = makeCodeLookupPrompt({ seed: 1_010_004, length: 1016, depth: 0.5 });
    expect(`${item.context} ${item.question}`).toBe(task.prompt);
    expect(item.question).toMatch(/^(What is .+\? )?The [a-z ]+ [A-Z][a-z]+ is $/);
    expect(item.context.endsWith(".")).toBe(true);
    expect(item.answers).toEqual([task.answer]);
    expect(item).toMatchObject({
      metric: "exact-match",
      stop: ["."],
      maxTokens: task.answer.length + 2,
      grid: { length: 1024, depth: 0.5 },
    });
  });

  it("ask chat models a question and score the number's presence", () => {
    const [item] = niahItems({ ...options, style: "chat", lengths: [512], depths: [0], samples: 1 });
    expect(item.question).toMatch(/^What is the [a-z ]+ [A-Z][a-z]+\? Reply with the number only\.$/);
    expect(item.context).toContain(
      `${item.question.slice(8, item.question.indexOf("?"))} is ${item.answers[0]}.`.replace(/^t/, "T"),
    );
    expect(item).toMatchObject({ metric: "rouge1-recall", stop: ["\n"] });
  });

  it("scale the text to the tokenizer, and pack many keys in the multi-key task", () => {
    const [short] = niahItems({ ...options, lengths: [512], depths: [0], samples: 1, charactersPerToken: 4 });
    expect(short.context.length + 1 + short.question.length).toBeLessThanOrEqual(4 * (512 - 8));
    expect(short.context.length + 1 + short.question.length).toBeGreaterThan(4 * (512 - 8) - 120);
    const facts = (text: string) => text.match(/ is \d+\./g)!.length;
    const [plain] = niahItems({ ...options, lengths: [2048], depths: [0.5], samples: 1 });
    const [multi] = niahItems({ ...options, task: "multikey", lengths: [2048], depths: [0.5], samples: 1 });
    expect(facts(plain.context)).toBe(8);
    expect(facts(multi.context)).toBe(Math.floor(2040 / 64));
  });
});
