import { describe, expect, it } from "vitest";
import { windowLayerList } from "../../../src-renderer/components/retention-heatmap";

describe("windowLayerList", () => {
  it("writes the sliding-window layers as runs (Gemma 3 270M: every sixth layer is global)", () => {
    const gemma = Array.from({ length: 18 }, (_, layer) => layer % 6 !== 5);
    expect(windowLayerList(gemma)).toBe("0-4, 6-10, 12-16");
    expect(windowLayerList([false, true, false, true, true])).toBe("1, 3-4");
    expect(windowLayerList([false, false])).toBe("");
  });
});
