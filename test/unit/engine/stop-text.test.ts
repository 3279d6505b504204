import { describe, expect, it } from "vitest";
import { firstStopIndex } from "../../../src-main/engine/stop-text";

describe("first stop text", () => {
  it("finds the earliest stop after the answer's leading whitespace", () => {
    expect(firstStopIndex("Paris.\nMore", ["\n", "."])).toBe(5);
    expect(firstStopIndex("\n\nParis\nMore", ["\n"])).toBe(7);
    expect(firstStopIndex("  \n", ["\n"])).toBe(-1);
    expect(firstStopIndex("Paris", ["\n"])).toBe(-1);
    expect(firstStopIndex("Paris<|im_end|>", [])).toBe(-1);
  });
});
