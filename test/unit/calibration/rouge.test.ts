import { describe, expect, it } from "vitest";
import { answerIsRight, rouge1Recall, words } from "../../../src-main/calibration/rouge";

describe("ROUGE-1 recall on words", () => {
  it("splits on anything but letters and digits, lower-cased", () => {
    expect(words("The code of Bako is 48213.")).toEqual(["the", "code", "of", "bako", "is", "48213"]);
    expect(words("  Café, naïve—ÜBER! ")).toEqual(["café", "naïve", "über"]);
    expect(words("...")).toEqual([]);
  });

  it("is the share of reference words found in the candidate", () => {
    expect(rouge1Recall("48213", "48213. The river runs low")).toBe(1);
    expect(rouge1Recall("Kestrel", "It is named kestrel!")).toBe(1);
    expect(rouge1Recall("the red fox", "a red dog")).toBeCloseTo(1 / 3, 12);
    expect(rouge1Recall("48213", "4821 3")).toBe(0);
  });

  it("clips counts: a candidate word matches one reference word", () => {
    expect(rouge1Recall("the the cat", "the cat")).toBeCloseTo(2 / 3, 12);
    expect(rouge1Recall("the cat", "the the the")).toBe(0.5);
  });

  it("gives 0 for a reference without words", () => {
    expect(rouge1Recall("", "anything")).toBe(0);
    expect(rouge1Recall("?!", "anything")).toBe(0);
  });

  it("counts an answer as right only above one half", () => {
    expect(answerIsRight("48213", " 48213.")).toBe(true);
    expect(answerIsRight("red fox", "a red dog")).toBe(false);
    expect(answerIsRight("big red fox", "a big red dog")).toBe(true);
    expect(answerIsRight("saffron", "")).toBe(false);
  });
});
