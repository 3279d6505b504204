import { describe, expect, it } from "vitest";
import {
  budgetAt,
  budgetSliderMax,
  sliderPosition,
  snapBudget,
  SLIDER_STEPS,
} from "../../../src-renderer/budget/budget-scale";
import { memoryFigures } from "../../../src-renderer/budget/memory-figures";
import { cpuStatus } from "./sample-data";

describe("budget scale", () => {
  it("snaps to multiples of 16 inside [64, max]", () => {
    expect([snapBudget(100, 2048), snapBudget(10, 2048), snapBudget(5000, 2048), snapBudget(515, 2048)]).toEqual([
      96, 64, 2048, 512,
    ]);
  });

  it("spreads budgets logarithmically: the middle of 64..4096 is 512", () => {
    expect(sliderPosition(64, 4096)).toBe(0);
    expect(sliderPosition(512, 4096)).toBe(SLIDER_STEPS / 2);
    expect(sliderPosition(4096, 4096)).toBe(SLIDER_STEPS);
    expect(budgetAt(SLIDER_STEPS / 2, 4096)).toBe(512);
    expect(budgetAt(SLIDER_STEPS, 1852)).toBe(1852);
  });

  it("returns every snapped budget to the same slider position (round trip)", () => {
    for (let position = 0; position <= SLIDER_STEPS; position++) {
      const budget = budgetAt(position, 100_000);
      expect(budgetAt(sliderPosition(budget, 100_000), 100_000)).toBe(budget);
    }
  });

  it("ends the slider at the document's length, or the context before the length is known", () => {
    expect(budgetSliderMax(512, 1852, 4096)).toBe(1852);
    expect(budgetSliderMax(512, null, 4096)).toBe(4096);
    expect(budgetSliderMax(8192, 1852, 4096)).toBe(8192);
  });
});

describe("memory figures", () => {
  it("counts bytes from the per-token KV size and what fits in free RAM on CPU", () => {
    expect(memoryFigures(512, 4096, 1852, cpuStatus.gpu)).toEqual({
      budgetBytes: 2_097_152,
      fullCacheTokens: 1852,
      fullCacheBytes: 7_585_792,
      fitsTokens: 3_145_728,
      freeBytes: 12 * 1024 ** 3,
      device: "RAM",
    });
  });

  it("uses free VRAM when the cache lives on a GPU", () => {
    const gpu = { ...cpuStatus.gpu, backend: "cuda", vramTotalBytes: 8 * 1024 ** 3, vramFreeBytes: 6 * 1024 ** 3 };
    const figures = memoryFigures(2048, 131_072, null, gpu);
    expect([figures.device, figures.fitsTokens, figures.fullCacheBytes]).toEqual(["GPU", 49_152, null]);
  });
});
