import { describe, expect, it } from "vitest";
import { adaptiveBudgets, pyramidBudgets, repairTotal, uniformBudgets } from "../../../src-main/compresskv/budgets";
import { forEachCase } from "./property";

const sum = (values: Int32Array) => values.reduce((a, b) => a + b, 0);

describe("adaptiveBudgets", () => {
  it("follows floor + round(e_l * (B*L - 32*L)) when no repair is needed", () => {
    // spread = 4*64 - 4*32 = 128: 12.8, 25.6, 38.4, 51.2
    expect(Array.from(adaptiveBudgets([0.1, 0.2, 0.3, 0.4], 64))).toEqual([45, 58, 70, 83]);
  });
  it("rounds halves to even", () => {
    // spread = 3*36 - 96 = 12: 1.5 -> 2, 4.5 -> 4, 6 -> 6
    expect(Array.from(adaptiveBudgets([0.125, 0.375, 0.5], 36))).toEqual([34, 36, 38]);
  });
  it("repairs a short total upwards in descending weight order, lower layer first on ties", () => {
    // spread = 4: 0.5, 0.5, 0.5, 2.5 round to 0, 0, 0, 2 -> 130, two short
    expect(Array.from(adaptiveBudgets([0.125, 0.125, 0.125, 0.625], 33))).toEqual([33, 32, 32, 35]);
  });
  it("repairs an excess downwards in ascending weight order", () => {
    // spread = 9: 2.7, 2.7, 3.6 round to 3, 3, 4 -> 106, one over; layer 0 gives it back
    expect(Array.from(adaptiveBudgets([0.3, 0.3, 0.4], 35))).toEqual([34, 35, 36]);
  });
  it("caps at 3B and hands the rest to the other layers", () => {
    // spread = 272: layer 3 wants 304, capped to 300; 4 short go to layers 0, 1, 2, 0
    expect(Array.from(adaptiveBudgets([0, 0, 0, 1], 100))).toEqual([34, 33, 33, 300]);
  });
  it("normalises weights and falls back to uniform for all-zero weights", () => {
    expect(Array.from(adaptiveBudgets([1, 2, 3, 4], 64))).toEqual([45, 58, 70, 83]);
    expect(Array.from(adaptiveBudgets([0, 0], 50))).toEqual([50, 50]);
  });
  it("lowers the floor to B when B is below 32", () => {
    expect(Array.from(adaptiveBudgets([0.5, 0.5], 16))).toEqual([16, 16]);
  });
  it("property: sums to B*L exactly, within the floor and the cap, deterministic", () => {
    forEachCase(300, (random) => {
      const nLayers = random.int(1, 48);
      const budget = random.int(1, 4096);
      const weights = Array.from({ length: nLayers }, () => (random.float() < 0.3 ? 0 : random.float()));
      const budgets = adaptiveBudgets(weights, budget);
      expect(sum(budgets)).toBe(budget * nLayers);
      for (const b of budgets) {
        expect(b).toBeGreaterThanOrEqual(Math.min(32, budget));
        expect(b).toBeLessThanOrEqual(3 * budget);
      }
      expect(adaptiveBudgets(weights, budget)).toEqual(budgets);
    });
  });
});

describe("repairTotal", () => {
  it("refuses a total outside floor*L..cap*L", () => {
    expect(() => repairTotal(Int32Array.of(5, 5), 30, [1, 1], 0, 10)).toThrow(RangeError);
  });
});

describe("pyramidBudgets", () => {
  it("falls linearly from 2c - c/beta to c/beta above the window", () => {
    // c = 40, low = 2, high = 78
    expect(Array.from(pyramidBudgets(3, 48, 8, 1000))).toEqual([86, 48, 10]);
    // 78, 52.67, 27.33, 2 rounded: 78, 53, 27, 2
    expect(Array.from(pyramidBudgets(4, 48, 8, 1000))).toEqual([86, 61, 35, 10]);
  });
  it("lowers the top to n - window for short prompts", () => {
    // n - window = 42: high 42, low 38
    expect(Array.from(pyramidBudgets(3, 48, 8, 50))).toEqual([50, 48, 46]);
  });
  it("property: sums to B*L exactly and never grows with depth", () => {
    forEachCase(300, (random) => {
      const nLayers = random.int(1, 48);
      const window = random.int(0, 32);
      const budget = window + random.int(1, 4096);
      const n = random.int(1, 20000);
      const budgets = pyramidBudgets(nLayers, budget, window, n);
      expect(sum(budgets)).toBe(budget * nLayers);
      for (let l = 1; l < nLayers; l++) expect(budgets[l]).toBeLessThanOrEqual(budgets[l - 1]);
    });
  });
});

describe("uniformBudgets", () => {
  it("gives every layer B", () => {
    expect(Array.from(uniformBudgets(3, 7))).toEqual([7, 7, 7]);
  });
});
