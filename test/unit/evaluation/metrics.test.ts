import { describe, expect, it } from "vitest";
import { answerTokens, exactMatch, f1Score, rouge1Recall, scoreAnswer } from "../../../src-main/evaluation/metrics";
import { answerPart } from "../../../src-main/evaluation/eval-item";

describe("answer normalisation", () => {
  it("lower-cases, drops punctuation and articles", () => {
    expect(answerTokens("The Eiffel Tower, in Paris!")).toEqual(["eiffel", "tower", "in", "paris"]);
    expect(answerTokens("A 48213.")).toEqual(["48213"]);
  });
});

describe("exact match", () => {
  it("compares normalised answers", () => {
    expect(exactMatch("The Eiffel Tower", "eiffel tower!")).toBe(1);
    expect(exactMatch("48213", "48213 f")).toBe(0);
    expect(exactMatch("48213", "4821")).toBe(0);
  });
});

describe("ROUGE-1 recall", () => {
  it("is the share of reference words in the prediction", () => {
    // reference words: cat sat on mat; found: cat on mat
    expect(rouge1Recall("the cat sat on the mat", "a cat on a mat")).toBe(0.75);
    expect(rouge1Recall("48213", "it is 48213.")).toBe(1);
    expect(rouge1Recall("the", "anything")).toBe(0);
  });

  it("uses each predicted word once", () => {
    expect(rouge1Recall("go go go", "go")).toBeCloseTo(1 / 3, 15);
  });
});

describe("F1", () => {
  it("is the harmonic mean of token precision and recall", () => {
    // overlap 3 of 4 on each side
    expect(f1Score("the cat sat on the mat", "cat on mat today")).toBe(0.75);
    // precision 1, recall 1/3
    expect(f1Score("new york city", "York")).toBe(0.5);
    expect(f1Score("go go go", "go")).toBe(0.5);
    expect(f1Score("paris", "london")).toBe(0);
  });

  it("agrees fully on two empty answers and not at all on one", () => {
    expect(f1Score("", "the")).toBe(1);
    expect(f1Score("paris", "")).toBe(0);
  });
});

describe("scoring against several answers", () => {
  it("takes the best", () => {
    expect(scoreAnswer("f1", ["city of paris", "paris"], "Paris")).toBe(1);
    expect(scoreAnswer("exact-match", ["1", "2"], "3")).toBe(0);
    expect(scoreAnswer("rouge1-recall", ["red green", "blue"], "green")).toBe(0.5);
  });
});

describe("the answer part of a generation", () => {
  it("ends at the first stop text", () => {
    expect(answerPart({ stop: ["."] }, "48213. The code")).toBe("48213");
    expect(answerPart({ stop: ["\n", "."] }, " Paris\nand. more")).toBe("Paris");
    expect(answerPart({ stop: ["\n"] }, "\n\nThe best thing is to eat.\nMore")).toBe("The best thing is to eat.");
    expect(answerPart({ stop: [] }, " all of it ")).toBe("all of it");
  });
});
