import { describe, expect, it } from "vitest";
import type { HaystackTask } from "../../../src-main/tasks/haystack-task";
import { makeMultikeyNeedleTask } from "../../../src-main/tasks/multikey-needle-task";
import { makeNeedleTask } from "../../../src-main/tasks/needle-task";
import { makePasskeyTask } from "../../../src-main/tasks/passkey-task";
import { insertSentences, prosePassage, sentenceStarts } from "../../../src-main/tasks/prose-haystack";
import { makeVariableTrackingTask } from "../../../src-main/tasks/variable-tracking-task";
import { PROSE } from "./haystack-fixture";

const spanTexts = (task: HaystackTask) => task.answerSpans.map((span) => task.context.slice(span.start, span.end));

describe("prose haystack", () => {
  it("cuts a seeded passage at sentence ends, whitespace collapsed", () => {
    expect(prosePassage(PROSE, 300, 7)).toBe(
      "It has an effective data handling and storage facility. There is a suite of operators for calculations on arrays, in particular matrices. The term environment is intended to characterize it as a fully planned and coherent system. Vectors are the simplest type of object in R.",
    );
    expect(prosePassage(PROSE, 300, 7)).toBe(prosePassage(PROSE, 300, 7));
    // Longer than the source: read round again.
    expect(prosePassage(PROSE, 2000, 1).length).toBeGreaterThan(PROSE.length * 0.9);
  });

  it("finds sentence starts after . ? ! before a capital letter", () => {
    expect(sentenceStarts("A b. C d? E f! g h. I.")).toEqual([0, 5, 10, 20]);
  });

  it("inserts sentences at the nearest sentence start of their depth, in depth order", () => {
    expect(
      insertSentences("A b. C d. E f.", [
        { text: "X.", depth: 0.5 },
        { text: "Y.", depth: 0 },
        { text: "Z.", depth: 1 },
      ]),
    ).toEqual({
      text: "Y. A b. X. C d. E f. Z.",
      spans: [
        { start: 8, end: 10 },
        { start: 0, end: 2 },
        { start: 21, end: 23 },
      ],
    });
  });
});

describe("haystack task generators (fixed seed, fixed text)", () => {
  it("single needle: the paper's style, answer span is the activity", () => {
    const task = makeNeedleTask({ seed: 3, length: 600, depth: 0.5, haystack: PROSE });
    expect(task.question).toBe("What is the best thing to do in Bergen? Answer in one sentence.");
    expect(task.answers).toEqual(["eat a sandwich and sit in the park on a sunny day"]);
    expect(task.answerSpans).toEqual([{ start: 224, end: 273 }]);
    expect(task.context).toContain(
      "components. The best thing to do in Bergen is to eat a sandwich and sit in the park on a sunny day. R is an",
    );
    expect(task.context.length).toBeLessThanOrEqual(600);
    expect(task.depth).toBeCloseTo(0.361, 3);
    expect(makeNeedleTask({ seed: 3, length: 600, depth: 0.5, haystack: PROSE })).toEqual(task);
  });

  it("passkey: instruction, repeated filler, the key twice", () => {
    const task = makePasskeyTask({ seed: 3, length: 400, depth: 0.25 });
    expect(task.answers).toEqual(["70407"]);
    expect(task.context).toBe(
      "There is an important piece of information hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about it. The grass is green. The sky is blue. The pass key is 70407. Remember it. 70407 is the pass key. The sun is yellow. Here we go. There and back again. The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.",
    );
    expect(spanTexts(task)).toEqual(["70407"]);
    expect(task.question).toBe("What is the pass key? Reply with the number only.");
  });

  it("multi-key needles: four look-alike needles, the first key asked", () => {
    const task = makeMultikeyNeedleTask({ seed: 3, length: 700, depth: 0.2, haystack: PROSE });
    expect(task.question).toBe(
      "What is the special magic number for hidden-harbor mentioned in the text? Reply with the number only.",
    );
    expect(task.answers).toEqual(["3510747"]);
    expect(spanTexts(task)).toEqual(["3510747"]);
    const needles = task.context.match(/One of the special magic numbers for [a-z]+-[a-z]+ is: \d{7}\./g);
    expect(needles).toEqual([
      "One of the special magic numbers for hidden-harbor is: 3510747.",
      "One of the special magic numbers for brave-orchid is: 5083974.",
      "One of the special magic numbers for gentle-falcon is: 7137004.",
      "One of the special magic numbers for gentle-harbor is: 8362658.",
    ]);
    expect(task.context.length).toBeLessThanOrEqual(700);
  });

  it("variable tracking: a chain of five names spread in order, and a distractor chain", () => {
    const task = makeVariableTrackingTask({ seed: 3, length: 900, depth: 0.1, haystack: PROSE });
    expect(task.answers).toEqual(["SBLBT MMEGO FCSMU WIRHR NVOAW"]);
    expect(spanTexts(task)).toEqual(["SBLBT", "MMEGO", "FCSMU", "WIRHR", "NVOAW"]);
    expect(task.question).toMatch(/^Find all variables that are assigned the value 78636 in the text/);
    const statements = task.context.match(/VAR [A-Z]{5} = \w+\./g);
    expect(statements).toEqual([
      "VAR SBLBT = 78636.",
      "VAR MMEGO = SBLBT.",
      "VAR FCSMU = MMEGO.",
      "VAR WIRHR = FCSMU.",
      "VAR IYUKS = 74987.",
      "VAR EJSAA = IYUKS.",
      "VAR MWPRU = EJSAA.",
      "VAR NVOAW = WIRHR.",
      "VAR PPBJN = MWPRU.",
      "VAR VKMMO = PPBJN.",
    ]);
  });

  it("put the asked needle where its depth says, at every depth", () => {
    const haystack = PROSE.repeat(20);
    for (const depth of [0, 0.25, 0.5, 0.75, 1]) {
      for (const seed of [1, 2, 3]) {
        const tasks = [
          makeNeedleTask({ seed, length: 6000, depth, haystack }),
          makeMultikeyNeedleTask({ seed, length: 6000, depth, haystack }),
          makeVariableTrackingTask({ seed, length: 6000, depth, haystack }),
          makePasskeyTask({ seed, length: 6000, depth }),
        ];
        for (const task of tasks) {
          expect(Math.abs(task.depth - depth)).toBeLessThan(0.1);
          expect(task.context.length).toBeLessThanOrEqual(6000);
          expect(task.context.length).toBeGreaterThan(5000);
          // The spans hold the answer: the value, or the chain's names in order.
          expect(spanTexts(task).join(" ")).toBe(task.answers[0]);
        }
      }
    }
  });
});
