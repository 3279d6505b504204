import { describe, expect, it } from "vitest";
import { METHOD_NAMES } from "../../../src-main/api/compression-settings";
import {
  budgetCells,
  conditionGrid,
  conditionKey,
  parseBudget,
  parseSeries,
  seriesLabel,
} from "../../../src-main/evaluation/conditions";

describe("budgets", () => {
  it("are cells or shares of the document", () => {
    expect(parseBudget("128")).toEqual({ cells: 128 });
    expect(parseBudget(" 6% ")).toEqual({ percent: 6 });
    expect(parseBudget("0.5%")).toEqual({ percent: 0.5 });
    expect(budgetCells({ cells: 128 }, 2040)).toBe(128);
    expect(budgetCells({ percent: 6 }, 2040)).toBe(122); // 122.4
    expect(budgetCells({ percent: 6 }, 2050)).toBe(123); // 123.0
  });

  it.each(["", "abc", "12.5", "-3", "0", "0%", "100%", "5 %"])("refuses %j", (text) => {
    expect(() => parseBudget(text)).toThrow(/budget/);
  });
});

describe("conditions", () => {
  it("run each method at each budget, ascending, and the full cache once", () => {
    const series = parseSeries("full,snapkv,compresskv:agnostic", METHOD_NAMES, [true]);
    const conditions = conditionGrid(series, [parseBudget("256"), parseBudget("6%"), parseBudget("64")]);
    expect(conditions.map(conditionKey)).toEqual([
      "full",
      "snapkv@64",
      "snapkv@256",
      "snapkv@6%",
      "compresskv@64/agnostic",
      "compresskv@256/agnostic",
      "compresskv@6%/agnostic",
    ]);
    expect(conditions.map(seriesLabel)).toEqual([
      "full",
      "snapkv",
      "snapkv",
      "snapkv",
      ...Array(3).fill("compresskv (agnostic)"),
    ]);
  });

  it("give methods without a mode every default mode, and list each series once", () => {
    const series = parseSeries("random, compresskv, compresskv:aware, full", METHOD_NAMES, [true, false]);
    expect(series).toEqual([
      { method: "random", questionAware: true },
      { method: "random", questionAware: false },
      { method: "compresskv", questionAware: true },
      { method: "compresskv", questionAware: false },
      { method: "full", questionAware: true },
    ]);
  });

  it("mark CompressKV's exact plan as its own series and condition", () => {
    const series = parseSeries("compresskv:aware, compresskv:aware:exact, compresskv:exact:agnostic", METHOD_NAMES, [
      true,
    ]);
    expect(series).toEqual([
      { method: "compresskv", questionAware: true },
      { method: "compresskv", questionAware: true, exactPlan: true },
      { method: "compresskv", questionAware: false, exactPlan: true },
    ]);
    const conditions = conditionGrid(series, [parseBudget("64")]);
    expect(conditions.map(conditionKey)).toEqual([
      "compresskv@64",
      "compresskv@64/exact",
      "compresskv@64/agnostic/exact",
    ]);
    expect(conditions.map(seriesLabel)).toEqual([
      "compresskv",
      "compresskv (exact plan)",
      "compresskv (agnostic, exact plan)",
    ]);
    expect(() => parseSeries("snapkv:aware:agnostic", METHOD_NAMES, [true])).toThrow("aware or agnostic");
  });

  it("mark variants (uniform layer budgets, heads per layer, pooling) as their own series", () => {
    const series = parseSeries(
      "compresskv, compresskv:uniform, compresskv:aware:heads=8:pool=max7, snapkv:agnostic:pool=avg3, full:uniform, snapkv:exact:per-layer",
      METHOD_NAMES,
      [true],
    );
    expect(series).toEqual([
      { method: "compresskv", questionAware: true },
      { method: "compresskv", questionAware: true, variant: { uniformLayerBudgets: true } },
      { method: "compresskv", questionAware: true, variant: { headsPerLayer: 8, pooling: { kind: "max", kernel: 7 } } },
      { method: "snapkv", questionAware: false, variant: { pooling: { kind: "avg", kernel: 3 } } },
      { method: "full", questionAware: true },
      { method: "snapkv", questionAware: true, exactPlan: true, variant: { perLayerBudget: true } },
    ]);
    const conditions = conditionGrid(series, [parseBudget("64")]);
    expect(conditions.map(conditionKey)).toEqual([
      "compresskv@64",
      "compresskv@64/uniform",
      "compresskv@64/heads=8/pool=max7",
      "snapkv@64/agnostic/pool=avg3",
      "full",
      "snapkv@64/exact/per-layer",
    ]);
    expect(conditions.map(seriesLabel)).toEqual([
      "compresskv",
      "compresskv (uniform layer budgets)",
      "compresskv (8 heads per layer, max pooling 7)",
      "snapkv (agnostic, avg pooling 3)",
      "full",
      "snapkv (exact plan, B per layer)",
    ]);
    expect(() => parseSeries("compresskv:pool=max4", METHOD_NAMES, [true])).toThrow("aware or agnostic");
    expect(() => parseSeries("compresskv:heads=0", METHOD_NAMES, [true])).toThrow("aware or agnostic");
  });

  it("refuse unknown methods and modes", () => {
    expect(() => parseSeries("h2o", METHOD_NAMES, [true])).toThrow("method h2o: expected one of");
    expect(() => parseSeries("snapkv:maybe", METHOD_NAMES, [true])).toThrow("aware or agnostic");
    expect(() => parseSeries(" , ", METHOD_NAMES, [true])).toThrow("no methods");
  });
});
