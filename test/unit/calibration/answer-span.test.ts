import { describe, expect, it } from "vitest";
import { answerPositions } from "../../../src-main/calibration/answer-span";

const SENTENCE = "The code of Bako is 48213.";

describe("answer positions from token pieces", () => {
  it("are the tokens overlapping the answer inside the needle, not the cue that repeats its opening", () => {
    const pieces = ["", "Rain", ".", " The", " code", " of", " B", "ako", " is", " 482", "13", ".", " Sun", ".", "\n\n",
      "The", " code", " of", " B", "ako", " is"];
    expect(Array.from(answerPositions(pieces, SENTENCE, "48213"))).toEqual([9, 10]);
  });

  it("includes a token that carries a space before the answer", () => {
    expect(Array.from(answerPositions(["x ", "The code of Bako is", " 48213", "."], SENTENCE, "48213"))).toEqual([2]);
  });

  it("works on byte-level pieces", () => {
    const pieces = [..."Hi. The code of Bako is 48213. Bye."];
    expect(Array.from(answerPositions(pieces, SENTENCE, "48213"))).toEqual([24, 25, 26, 27, 28]);
  });

  it("refuses a missing needle, a repeated needle and an answer outside the needle", () => {
    expect(() => answerPositions(["The code of Bako is 4821"], SENTENCE, "48213")).toThrow(/not found/);
    expect(() => answerPositions([SENTENCE, " ", SENTENCE], SENTENCE, "48213")).toThrow(/more than once/);
    expect(() => answerPositions([SENTENCE], SENTENCE, "99")).toThrow(/not in the needle/);
  });
});
