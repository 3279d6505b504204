import { describe, expect, it } from "vitest";
import { buildPhysicalPlan, visiblePositions } from "../../../src-main/compresskv/physical-plan";
import {
  DEFAULT_RESERVOIR_MULTIPLE,
  hiddenPositions,
  historyShareCells,
  reservoirCells,
  reservoirCellsForMemory,
  reservoirMemory,
} from "../../../src-main/compresskv/reservoir";
import { selectLayerTokens } from "../../../src-main/compresskv/token-selection";
import { forEachCase } from "./property";

describe("reservoirCells", () => {
  it("is a multiple of the budget, 8 by default", () => {
    expect(DEFAULT_RESERVOIR_MULTIPLE).toBe(8);
    expect(reservoirCells({ budget: 512, multiple: 8, documentTokens: 100_000 })).toBe(4096);
    expect(reservoirCells({ budget: 500, multiple: 2.5, documentTokens: 100_000 })).toBe(1250);
  });
  it("is the whole document when the multiple covers it (the full cache)", () => {
    expect(reservoirCells({ budget: 512, multiple: 1_000_000, documentTokens: 9000 })).toBe(9000);
  });
  it("stays within memory, but never below the answer budget", () => {
    expect(reservoirCells({ budget: 512, multiple: 8, documentTokens: 100_000, maxCells: 2000 })).toBe(2000);
    expect(reservoirCells({ budget: 512, multiple: 8, documentTokens: 100_000, maxCells: 100 })).toBe(512);
  });
  it("is the budget without a reservoir (multiple 0 or 1)", () => {
    expect(reservoirCells({ budget: 512, multiple: 0, documentTokens: 100_000 })).toBe(512);
    expect(reservoirCells({ budget: 512, multiple: 1, documentTokens: 100_000 })).toBe(512);
  });
  it("property: B <= R <= N when N > B, R <= max cells unless that is below B", () => {
    forEachCase(300, (random) => {
      const budget = random.int(16, 4096);
      const documentTokens = random.int(budget + 1, 200_000);
      const maxCells = random.float() < 0.5 ? Infinity : random.int(1, 100_000);
      const multiple = random.int(0, 64);
      const cells = reservoirCells({ budget, multiple, documentTokens, maxCells });
      expect(cells).toBeGreaterThanOrEqual(budget);
      expect(cells).toBeLessThanOrEqual(documentTokens);
      expect(cells).toBeLessThanOrEqual(Math.max(budget, maxCells));
      expect(Number.isInteger(cells)).toBe(true);
    });
  });
});

describe("memory", () => {
  it("gives the reservoir half the free memory", () => {
    expect(reservoirCellsForMemory(1000, 10)).toBe(50);
    expect(reservoirCellsForMemory(0, 10)).toBe(Infinity);
  });
  it("counts the peak as the reservoir plus the larger of a chunk and the answer's reserve", () => {
    expect(
      reservoirMemory({ budget: 512, reservoir: 4096, chunkTokens: 1024, reserve: 2048, kvBytesPerToken: 2 }),
    ).toEqual({ budgetBytes: 1024, reservoirBytes: 8192, peakCells: 6144, peakBytes: 12288 });
  });
  it("gives the chat history a quarter of the budget", () => {
    expect(historyShareCells(2048)).toBe(512);
    expect(historyShareCells(99)).toBe(24);
  });
});

describe("hiddenPositions", () => {
  // n = 12, window 2, one sink: protected {0, 10, 11}. Layer A wants 5, 6, 7, 8; layer B wants 1, 2, 5, 6.
  const n = 12;
  const layers = [
    { budget: 7, ranked: Int32Array.from([5, 6, 7, 8]), kept: Int32Array.from([0, 5, 6, 7, 8, 10, 11]) },
    { budget: 7, ranked: Int32Array.from([1, 2, 5, 6]), kept: Int32Array.from([0, 1, 2, 5, 6, 10, 11]) },
  ];
  const plan = buildPhysicalPlan({ n, capacity: 7, window: 2, sinks: 1, layers });

  it("hides what is outside the union in every layer with the shared plan", () => {
    expect(hiddenPositions(plan, "shared").map((h) => Array.from(h))).toEqual([
      [3, 4, 7, 8, 9],
      [3, 4, 7, 8, 9],
    ]);
  });
  it("hides what is outside each layer's own set with the exact plan", () => {
    expect(hiddenPositions(plan, "exact").map((h) => Array.from(h))).toEqual([
      [1, 2, 3, 4, 7, 8, 9],
      [3, 4, 7, 8, 9],
    ]);
  });
  it("property: hidden and visible split 0..n-1 in every layer, for both views", () => {
    forEachCase(200, (random) => {
      const size = random.int(8, 400);
      const window = random.int(1, 4);
      const sinks = random.int(0, 3);
      const nLayers = random.int(1, 5);
      const selections = Array.from({ length: nLayers }, () => {
        const scores = Array.from({ length: size - window }, () => random.float());
        return selectLayerTokens(scores, size, random.int(window + sinks, size), window, sinks);
      });
      const capacity = random.int(window + sinks, size);
      const built = buildPhysicalPlan({ n: size, capacity, window, sinks, layers: selections });
      for (const view of ["shared", "exact"] as const) {
        hiddenPositions(built, view).forEach((hidden, layer) => {
          const visible = visiblePositions(built, layer, view);
          const all = [...hidden, ...visible].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: size }, (_, i) => i));
        });
      }
    });
  });
});
