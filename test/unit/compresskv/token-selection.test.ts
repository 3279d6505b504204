import { describe, expect, it } from "vitest";
import { selectLayerTokens } from "../../../src-main/compresskv/token-selection";
import { forEachCase } from "./property";

// n = 10, window 2, one sink: position 0 and positions 8, 9 are protected; candidates are 1..7.
const scores = [100, 1, 4, 4, 0, 2, 9, 4];

describe("selectLayerTokens", () => {
  it("keeps sinks, window and the best candidates, lower position first on ties", () => {
    const selection = selectLayerTokens(scores, 10, 6, 2, 1);
    expect(Array.from(selection.ranked)).toEqual([6, 2, 3]);
    expect(Array.from(selection.kept)).toEqual([0, 2, 3, 6, 8, 9]);
    expect(selection.budget).toBe(6);
  });
  it("keeps the protected set even when the budget is smaller", () => {
    const selection = selectLayerTokens(scores, 10, 2, 2, 1);
    expect(Array.from(selection.kept)).toEqual([0, 8, 9]);
    expect(selection.budget).toBe(3);
  });
  it("keeps everything when n <= budget, ranked by score", () => {
    const selection = selectLayerTokens(scores, 10, 20, 2, 1);
    expect(Array.from(selection.kept)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(selection.ranked)).toEqual([6, 2, 3, 7, 5, 1, 4]);
    expect(selection.budget).toBe(10);
  });
  it("handles prompts shorter than the window", () => {
    expect(Array.from(selectLayerTokens([], 3, 1, 8, 4).kept)).toEqual([0, 1, 2]);
  });
  it("property: kept is sorted, unique, holds sinks and window, and has exactly the clamped budget", () => {
    forEachCase(200, (random) => {
      const n = random.int(0, 300);
      const window = random.int(0, 16);
      const sinks = random.int(0, 8);
      const budget = random.int(0, 350);
      const layerScores = Float64Array.from({ length: n }, () => random.int(0, 5));
      const { kept, ranked, budget: granted } = selectLayerTokens(layerScores, n, budget, window, sinks);
      const protectedTotal = Math.min(n, window + sinks);
      expect(kept.length).toBe(Math.min(n, Math.max(budget, protectedTotal)));
      expect(granted).toBe(kept.length);
      for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
      const keptSet = new Set(kept);
      for (let j = 0; j < Math.min(sinks, n); j++) expect(keptSet.has(j)).toBe(true);
      for (let j = Math.max(0, n - window); j < n; j++) expect(keptSet.has(j)).toBe(true);
      for (const position of ranked) expect(position >= sinks && position < n - window).toBe(true);
    });
  });
});
