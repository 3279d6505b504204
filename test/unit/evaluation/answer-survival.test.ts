import { describe, expect, it } from "vitest";
import { answerTokenPositions, layerSurvival, meanSurvival } from "../../../src-main/evaluation/answer-survival";

describe("answer survival", () => {
  // Template token, then document tokens starting at characters 0, 4, 9, 15, 20, then a template token.
  const offsets = [-1, 0, 4, 9, 15, 20, -1];

  it("find the tokens that overlap the answer spans", () => {
    expect(answerTokenPositions(offsets, [{ start: 10, end: 16 }])).toEqual([3, 4]);
    expect(answerTokenPositions(offsets, [{ start: 4, end: 9 }])).toEqual([2]);
    // The last document token runs to the end of the document.
    expect(answerTokenPositions(offsets, [{ start: 22, end: 25 }])).toEqual([5]);
    expect(
      answerTokenPositions(offsets, [
        { start: 0, end: 1 },
        { start: 20, end: 21 },
      ]),
    ).toEqual([1, 5]);
  });

  it("give each layer the share of those tokens its visible ranges hold", () => {
    const positions = [3, 4, 5];
    expect(layerSurvival([[0, 7], [0, 2, 4, 5], [5, 6], []], positions)).toEqual([1, 1 / 3, 1 / 3, 0]);
    expect(layerSurvival([[0, 1]], [])).toEqual([1]);
  });

  it("average over trials, skipping those without it", () => {
    expect(meanSurvival([[1, 0], undefined, [0, 0.5]])).toEqual([0.5, 0.25]);
    expect(meanSurvival([undefined])).toEqual([]);
  });
});
