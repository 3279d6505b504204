import { describe, expect, it } from "vitest";
import type { WindowCapture } from "../../../src-main/compresskv/types";
import { windowAttentionMass, windowScores } from "../../../src-main/compresskv/window-scores";
import { forEachCase } from "./property";

// n = 8, window 2: positions 6 and 7 are the window and must not bleed into the prefix scores.
const capture: WindowCapture = {
  layer: 0,
  heads: [3, 5],
  n: 8,
  rowSums: Float32Array.from([1, 0, 0, 0, 0, 0, 9, 9, /* head 5 */ 0, 0, 0, 3, 0, 0, 9, 9]),
};

describe("windowScores", () => {
  it("pools each head over the prefix and averages the heads", () => {
    const scores = windowScores(capture, 2, { kind: "avg", kernel: 3 });
    // head 3 pooled: [1/3, 1/3, 0, 0, 0, 0]; head 5 pooled: [0, 0, 1, 1, 1, 0]
    expect(Array.from(scores)).toEqual([1 / 6, 1 / 6, 0.5, 0.5, 0.5, 0]);
  });
  it("uses max pooling when asked", () => {
    expect(Array.from(windowScores(capture, 2, { kind: "max", kernel: 3 }))).toEqual([0.5, 0.5, 1.5, 1.5, 1.5, 0]);
  });
  it("scores only the chosen heads", () => {
    expect(Array.from(windowScores(capture, 2, { kind: "avg", kernel: 3 }, [5]))).toEqual([0, 0, 1, 1, 1, 0]);
  });
  it("rejects a head that was not captured", () => {
    expect(() => windowScores(capture, 2, { kind: "avg", kernel: 3 }, [4])).toThrow(/head 4/);
  });
  it("returns nothing when the window covers the prompt", () => {
    expect(windowScores(capture, 8, { kind: "avg", kernel: 5 }).length).toBe(0);
  });
});

describe("windowAttentionMass", () => {
  it("averages the raw row sums over heads, window included", () => {
    expect(Array.from(windowAttentionMass(capture))).toEqual([0.5, 0, 0, 1.5, 0, 0, 9, 9]);
  });
});

/** Independent reference: the formula written out per position, per head, with explicit zero padding. */
function referenceScores(rows: number[][], n: number, window: number, kind: "avg" | "max", kernel: number): number[] {
  const prefix = Math.max(0, n - window);
  const half = (kernel - 1) / 2;
  return Array.from({ length: prefix }, (_, j) => {
    const perHead = rows.map((row) => {
      const neighbourhood: number[] = [];
      for (let i = j - half; i <= j + half; i++) if (i >= 0 && i < prefix) neighbourhood.push(row[i]);
      return kind === "avg" ? neighbourhood.reduce((a, b) => a + b, 0) / kernel : Math.max(...neighbourhood);
    });
    return perHead.reduce((a, b) => a + b, 0) / rows.length;
  });
}

describe("windowScores against an independent reference", () => {
  it("agrees for random captures, both pooling kinds", () => {
    forEachCase(100, (random) => {
      const n = random.int(1, 80);
      const window = random.int(0, 10);
      const heads = Array.from({ length: random.int(1, 5) }, (_, i) => i * 2);
      const rows = heads.map(() => Array.from({ length: n }, () => Math.fround(random.float())));
      const kind = random.float() < 0.5 ? "avg" : "max";
      const kernel = 2 * random.int(0, 4) + 1;
      const capture: WindowCapture = { layer: 0, heads, n, rowSums: Float32Array.from(rows.flat()) };
      const expected = referenceScores(rows, n, window, kind, kernel);
      const actual = windowScores(capture, window, { kind, kernel });
      expect(actual.length).toBe(expected.length);
      actual.forEach((value, j) => {
        expect(value).toBeCloseTo(expected[j], 12);
      });
    });
  });
});
