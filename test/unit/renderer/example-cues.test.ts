import { describe, expect, it } from "vitest";
import { exampleCues } from "../../../src-renderer/demo/example-cues";

describe("exampleCues", () => {
  it("turns the document's facts into cues the completion model answers", () => {
    const text = "The code of Bako is 48213. Filler. The secret code of Rufo is 5166.\nThe code of Bako is 48213.";
    expect(exampleCues(text)).toEqual(["The code of Bako is", "The secret code of Rufo is"]);
  });

  it("spreads the cues over a document with many facts", () => {
    const names = ["Aba", "Bebo", "Cid", "Dov", "Eru", "Fal", "Gus"];
    const text = names.map((name, i) => `The pass code for ${name} is ${1000 + i}.`).join(" ");
    expect(exampleCues(text, 3)).toEqual([
      "The pass code for Aba is",
      "The pass code for Dov is",
      "The pass code for Gus is",
    ]);
  });

  it("offers nothing for ordinary prose", () => {
    expect(exampleCues("A report about harbours, with no codes at all.")).toEqual([]);
  });
});
