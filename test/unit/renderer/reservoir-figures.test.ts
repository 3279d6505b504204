import { describe, expect, it } from "vitest";
import { DEFAULT_COMPRESSION, withReadingMode } from "../../../src-main/api/compression-settings";
import { reservoirFigures } from "../../../src-renderer/budget/reservoir-figures";

const GiB = 1024 ** 3;
const settings = { ...DEFAULT_COMPRESSION, budget: 512, reservoirMultiple: 8, chunkTokens: 1024 };

describe("reservoir figures", () => {
  it("shows R = 8 x B in tokens and bytes, and the peak: R plus the larger of a chunk and the answer room", () => {
    expect(reservoirFigures(settings, 1000, 100_000, 12 * GiB)).toEqual({
      tokens: 4096,
      bytes: 4_096_000,
      multiple: 8,
      peakTokens: 4096 + 2048,
      peakBytes: 6_144_000,
      wholeDocument: false,
    });
  });

  it("is the whole document when R covers it, and bounded by half the free memory", () => {
    expect(reservoirFigures(settings, 1000, 3000, 12 * GiB)).toMatchObject({ tokens: 3000, wholeDocument: true });
    // 2 MB free, half of it for the reservoir: 1,048 cells at 1,000 bytes.
    expect(reservoirFigures(settings, 1000, 100_000, 2_097_152)).toMatchObject({ tokens: 1048, multiple: 1048 / 512 });
  });

  it("is absent in the other reading modes, with the full cache, and when the document fits the budget", () => {
    expect(reservoirFigures(withReadingMode(settings, "question-aware"), 1000, 100_000, GiB)).toBeNull();
    expect(reservoirFigures(withReadingMode(settings, "question-agnostic"), 1000, 100_000, GiB)).toBeNull();
    expect(reservoirFigures({ ...settings, method: "full" }, 1000, 100_000, GiB)).toBeNull();
    expect(reservoirFigures(settings, 1000, 400, GiB)).toBeNull();
  });

  it("assumes the multiple before the document's length is known", () => {
    expect(reservoirFigures(settings, 1000, null, GiB)).toMatchObject({ tokens: 4096, wholeDocument: false });
  });
});
