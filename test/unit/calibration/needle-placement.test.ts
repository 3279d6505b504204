import { describe, expect, it } from "vitest";
import { haystackOfLength, placeNeedle, sentenceBoundaries } from "../../../src-main/calibration/needle-placement";

const TEXT = "One. Two. Three.";

describe("sentence boundaries", () => {
  it("are the start, each sentence start and the end", () => {
    expect(sentenceBoundaries(TEXT)).toEqual([0, 5, 10, 16]);
    expect(sentenceBoundaries("Title\nBody here. More?  Yes!")).toEqual([0, 6, 17, 24, 28]);
    expect(sentenceBoundaries("Dr.Who is 3.5 m tall")).toEqual([0, 20]);
    expect(sentenceBoundaries("")).toEqual([0]);
  });
});

describe("placing a needle at a depth", () => {
  it("puts it at the boundary nearest to depth x length, spaced from its neighbours", () => {
    expect(placeNeedle(TEXT, "N is 7.", 0)).toEqual({ text: "N is 7. One. Two. Three.", needleStart: 0 });
    expect(placeNeedle(TEXT, "N is 7.", 1)).toEqual({ text: "One. Two. Three. N is 7.", needleStart: 17 });
    // 0.5 x 16 = 8: boundary 10 (distance 2) beats 5 (distance 3).
    expect(placeNeedle(TEXT, "N is 7.", 0.5)).toEqual({ text: "One. Two. N is 7. Three.", needleStart: 10 });
    // 0.25 x 16 = 4: boundary 5.
    expect(placeNeedle(TEXT, "N is 7.", 0.25)).toEqual({ text: "One. N is 7. Two. Three.", needleStart: 5 });
  });

  it("breaks ties toward the earlier boundary", () => {
    // "Ab. Cd." has boundaries 0, 4, 7; depth 2/7 targets 2, equally far from 0 and 4.
    expect(placeNeedle("Ab. Cd.", "N.", 2 / 7).needleStart).toBe(0);
    expect(placeNeedle("Ab. Cd.", "N.", 2.01 / 7).needleStart).toBe(4);
  });

  it("keeps the text around it unchanged, after a line break too", () => {
    const placed = placeNeedle("Title\nBody here.", "N.", 0.3);
    expect(placed).toEqual({ text: "Title\nN. Body here.", needleStart: 6 });
    expect(placed.text.slice(placed.needleStart, placed.needleStart + 2)).toBe("N.");
  });

  it("refuses depths outside [0, 1]", () => {
    expect(() => placeNeedle(TEXT, "N.", -0.1)).toThrow(RangeError);
    expect(() => placeNeedle(TEXT, "N.", 1.5)).toThrow(RangeError);
    expect(() => placeNeedle(TEXT, "N.", Number.NaN)).toThrow(RangeError);
  });
});

describe("haystack of a length", () => {
  it("cuts at the last sentence end within the length", () => {
    expect(haystackOfLength(TEXT, 12)).toBe("One. Two.");
    expect(haystackOfLength(TEXT, 16)).toBe(TEXT);
  });

  it("repeats a short source, paragraph-separated", () => {
    // Three copies are 52 characters; the last sentence start within 40 is at 36.
    expect(haystackOfLength(TEXT, 40)).toBe(`${TEXT}\n\n${TEXT}`);
    expect(haystackOfLength(TEXT, 41)).toBe(`${TEXT}\n\n${TEXT}\n\nOne.`);
  });

  it("cuts mid-sentence when no sentence ends in the second half", () => {
    expect(haystackOfLength("A very long sentence without an end", 20)).toBe("A very long sentence");
  });

  it("refuses an empty source", () => {
    expect(() => haystackOfLength("  \n", 10)).toThrow(RangeError);
  });
});
