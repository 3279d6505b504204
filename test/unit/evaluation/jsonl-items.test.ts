import { describe, expect, it } from "vitest";
import { parseJsonlItems, TaskFileError } from "../../../src-main/evaluation/jsonl-items";

const line = (value: unknown) => JSON.stringify(value);

describe("JSONL task files", () => {
  it("reads items with defaults, aliases and blank lines", () => {
    const content = [
      line({
        id: "q1",
        context: "Bako lives in Rome.",
        question: "Where does Bako live?",
        answers: ["Rome", "in Rome"],
        metric: "exact-match",
      }),
      "",
      line({ context: "C", input: "LongBench calls me input", answer: "yes", maxTokens: 8, stop: ["\n"], length: 3 }),
      line({ _id: 7, context: "C", question: "Q", answers: ["a"], metric: "rouge1-recall" }),
    ].join("\n");
    expect(parseJsonlItems(content, "set.jsonl")).toEqual([
      {
        id: "q1",
        context: "Bako lives in Rome.",
        question: "Where does Bako live?",
        answers: ["Rome", "in Rome"],
        metric: "exact-match",
        maxTokens: 64,
        stop: [],
      },
      {
        id: "line-3",
        context: "C",
        question: "LongBench calls me input",
        answers: ["yes"],
        metric: "f1",
        maxTokens: 8,
        stop: ["\n"],
      },
      { id: "7", context: "C", question: "Q", answers: ["a"], metric: "rouge1-recall", maxTokens: 64, stop: [] },
    ]);
  });

  const good = line({ context: "C", question: "Q", answers: ["A"] });
  const cases: [string, string, string][] = [
    ["bad JSON", `${good}\n${good}\n{"context": "C",`, "set.jsonl line 3: not valid JSON"],
    ["not an object", `${good}\n[1, 2]`, "set.jsonl line 2: expected a JSON object"],
    ["no context", line({ question: "Q", answers: ["A"] }), `set.jsonl line 1: "context" must be a non-empty string`],
    ["no question", line({ context: "C", answers: ["A"] }), `set.jsonl line 1: "question" must be a non-empty string`],
    [
      "no answers",
      `${good}\n${line({ context: "C", question: "Q", answers: [] })}`,
      `set.jsonl line 2: "answers" must be`,
    ],
    ["answers not strings", line({ context: "C", question: "Q", answers: [4] }), `set.jsonl line 1: "answers" must be`],
    [
      "unknown metric",
      line({ context: "C", question: "Q", answers: ["A"], metric: "bleu" }),
      `set.jsonl line 1: "metric" must be one of exact-match, rouge1-recall, f1, not "bleu"`,
    ],
    [
      "bad maxTokens",
      line({ context: "C", question: "Q", answers: ["A"], maxTokens: 0 }),
      `set.jsonl line 1: "maxTokens" must be a positive whole number`,
    ],
    [
      "bad stop",
      line({ context: "C", question: "Q", answers: ["A"], stop: "." }),
      `set.jsonl line 1: "stop" must be a list`,
    ],
    [
      "same id twice",
      `${line({ id: "x", context: "C", question: "Q", answers: ["A"] })}\n\n${line({ id: "x", context: "D", question: "Q", answers: ["A"] })}`,
      `set.jsonl line 3: id "x" is already used on line 1`,
    ],
    ["no items", "\n  \n", "set.jsonl: the file holds no items"],
  ];
  it.each(cases)("names the line of %s", (_, content, message) => {
    let error: unknown;
    try {
      parseJsonlItems(content, "set.jsonl");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TaskFileError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });
});
