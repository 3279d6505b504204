import { describe, expect, it } from "vitest";
import { haystackItems, isHaystackTask } from "../../../src-main/evaluation/haystack-items";
import { scoreAnswer } from "../../../src-main/evaluation/metrics";
import { makeVariableTrackingTask } from "../../../src-main/tasks/variable-tracking-task";
import { PROSE } from "../tasks/haystack-fixture";

const haystack = PROSE.repeat(10);

describe("haystack task items", () => {
  it("fill every length x depth cell, ids unique, seeded like the NIAH grid", () => {
    const items = haystackItems({
      task: "variable-tracking",
      lengths: [256, 512],
      depths: [0, 1],
      samples: 3,
      seed: 5,
      charactersPerToken: 4,
      haystack,
    });
    expect(items).toHaveLength(12);
    expect(new Set(items.map((item) => item.id)).size).toBe(12);
    const item = items.find((candidate) => candidate.id === "variable-tracking-512-d1-s2")!;
    // seed 5 + 1 000 000 x length index 1 + 10 000 x depth index 1 + sample 2; (512 - 8) tokens x 4 characters.
    const task = makeVariableTrackingTask({ seed: 1_010_007, length: 2016, depth: 1, haystack });
    expect(item).toMatchObject({
      context: task.context,
      question: task.question,
      answers: task.answers,
      answerSpans: task.answerSpans,
      metric: "rouge1-recall",
      stop: [],
      maxTokens: 40,
      grid: { length: 512, depth: 1 },
    });
  });

  it("know their task names", () => {
    expect(["needle", "passkey", "multikey-needle", "variable-tracking"].every(isHaystackTask)).toBe(true);
    expect(isHaystackTask("niah")).toBe(false);
  });

  it("score answers by ROUGE-1 recall: the value, or the share of the chain's names", () => {
    expect(scoreAnswer("rouge1-recall", ["3510747"], "The number is 3510747.")).toBe(1);
    expect(scoreAnswer("rouge1-recall", ["3510747"], "351074")).toBe(0);
    expect(scoreAnswer("rouge1-recall", ["SBLBT MMEGO FCSMU WIRHR NVOAW"], "SBLBT, MMEGO and NVOAW")).toBe(0.6);
    expect(
      scoreAnswer(
        "rouge1-recall",
        ["eat a sandwich and sit in the park on a sunny day"],
        "The best thing to do in Bergen is to eat a sandwich in the park.",
      ),
    ).toBeCloseTo(4 / 9, 12); // articles dropped, 9 words: eat, sandwich, in, park found; and, sit, on, sunny, day not.
  });
});
