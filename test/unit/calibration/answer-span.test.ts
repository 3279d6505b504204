import { describe, expect, it } from "vitest";
import { answerPositions } from "../../../src-main/calibration/answer-span";

const SENTENCE = "The code of Bako is 48213.";

/** The decoded text of token pieces and where each starts. */
function decoded(pieces: string[]): [string, number[]] {
  const offsets: number[] = [];
  let text = "";
  for (const piece of pieces) {
    offsets.push(text.length);
    text += piece;
  }
  return [text, offsets];
}

describe("answer positions from token offsets", () => {
  it("are the tokens overlapping the answer inside the needle, not the cue that repeats its opening", () => {
    const [text, offsets] = decoded([
      "",
      "Rain",
      ".",
      " The",
      " code",
      " of",
      " B",
      "ako",
      " is",
      " 482",
      "13",
      ".",
      " Sun",
      ".",
      "\n\n",
      "The",
      " code",
      " of",
      " B",
      "ako",
      " is",
    ]);
    expect(Array.from(answerPositions(text, offsets, SENTENCE, "48213"))).toEqual([9, 10]);
  });

  it("includes a token that carries a space before the answer, and skips tokens that decode to nothing", () => {
    const [text, offsets] = decoded(["x ", "The code of Bako is", " 48213", "", "."]);
    expect(Array.from(answerPositions(text, offsets, SENTENCE, "48213"))).toEqual([2]);
  });

  it("works on byte-level tokens", () => {
    const [text, offsets] = decoded([..."Hi. The code of Bako is 48213. Bye."]);
    expect(Array.from(answerPositions(text, offsets, SENTENCE, "48213"))).toEqual([24, 25, 26, 27, 28]);
  });

  it("counts a last token as running to the end of the text", () => {
    const [text, offsets] = decoded(["The code of Bako is ", "48213."]);
    expect(Array.from(answerPositions(text, offsets, SENTENCE, "48213"))).toEqual([1]);
  });

  it("refuses a missing needle, a repeated needle and an answer outside the needle", () => {
    expect(() => answerPositions("The code of Bako is 4821", [0], SENTENCE, "48213")).toThrow(/not found/);
    expect(() => answerPositions(`${SENTENCE} ${SENTENCE}`, [0], SENTENCE, "48213")).toThrow(/more than once/);
    expect(() => answerPositions(SENTENCE, [0], SENTENCE, "99")).toThrow(/not in the needle/);
  });
});
