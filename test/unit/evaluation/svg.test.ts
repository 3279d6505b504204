// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { budgetPlotSvg } from "../../../src-main/evaluation/svg/budget-plot";
import { niahHeatmapSvg } from "../../../src-main/evaluation/svg/niah-heatmap";
import { scoreColor } from "../../../src-main/evaluation/svg/svg-markup";

/** Parses as XML the way a browser opens an .svg file; a syntax error gives a <parsererror> document. */
function parseSvg(svg: string): Document {
  const document = new DOMParser().parseFromString(svg, "image/svg+xml");
  expect(document.getElementsByTagName("parsererror")).toHaveLength(0);
  expect(document.documentElement.tagName).toBe("svg");
  expect(document.documentElement.getAttribute("xmlns")).toBe("http://www.w3.org/2000/svg");
  return document;
}

describe("score colours", () => {
  it("run from red through yellow to green", () => {
    expect(scoreColor(0)).toBe("#d73027");
    expect(scoreColor(0.5)).toBe("#fee08b");
    expect(scoreColor(1)).toBe("#1a9850");
    expect(scoreColor(0.25)).toBe("#eb8859"); // halfway between red and yellow, rounded
    expect(scoreColor(-1)).toBe("#d73027");
    expect(scoreColor(2)).toBe("#1a9850");
  });
});

describe("NIAH heatmap", () => {
  const svg = niahHeatmapSvg(
    {
      lengths: [512, 2048],
      depths: [0, 0.5, 1],
      cells: [
        [{ mean: 1, count: 2 }, { mean: 0.5, count: 2 }, null],
        [
          { mean: 0, count: 1 },
          { mean: 0.25, count: 4 },
          { mean: 1, count: 1 },
        ],
      ],
    },
    `model <x> & "snapkv", budget 6%`,
  );

  it("is well-formed SVG with one coloured, labelled cell per length and depth", () => {
    const document = parseSvg(svg);
    expect(document.querySelector("title")!.textContent).toBe(`model <x> & "snapkv", budget 6%`);
    const cells = [...document.querySelectorAll("g.cell")];
    expect(cells).toHaveLength(6);
    expect(cells.map((cell) => cell.querySelector("rect")!.getAttribute("fill"))).toEqual([
      "#1a9850",
      "#fee08b",
      "#dddddd",
      "#d73027",
      "#eb8859",
      "#1a9850",
    ]);
    expect(cells.map((cell) => cell.querySelector("text")?.textContent ?? "")).toEqual([
      "100",
      "50",
      "",
      "0",
      "25",
      "100",
    ]);
    expect(cells[4].querySelector("title")!.textContent).toBe("length 2048, depth 0.5: 25.0 % of 4");
    const labels = [...document.querySelectorAll("svg > text")].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(["512", "2048", "0%", "50%", "100%", "needle depth"]));
  });
});

describe("accuracy against budget", () => {
  const svg = budgetPlotSvg({
    title: "demo",
    budgets: ["64", "128", "256"],
    series: [
      { label: "snapkv", scores: [0.5, 0.75, 1] },
      { label: "compresskv (agnostic)", scores: [null, 0.25, 1] },
    ],
    full: 0.9,
  });

  it("is well-formed SVG with a line and markers per series and the full cache dashed", () => {
    const document = parseSvg(svg);
    const series = [...document.querySelectorAll("g.series")];
    expect(series.map((g) => g.getAttribute("data-label"))).toEqual(["snapkv", "compresskv (agnostic)"]);
    // x: 60 + 220 * i; y: 40 + 280 * (1 - score)
    expect(series[0].querySelector("polyline")!.getAttribute("points")).toBe("60.0,180.0 280.0,110.0 500.0,40.0");
    expect(series[1].querySelector("polyline")!.getAttribute("points")).toBe("280.0,250.0 500.0,40.0");
    expect(series.map((g) => g.querySelectorAll("circle").length)).toEqual([3, 2]);
    const full = document.querySelector("line.full")!;
    expect([full.getAttribute("y1"), full.getAttribute("y2"), full.getAttribute("stroke-dasharray")]).toEqual([
      "68",
      "68",
      "6 4",
    ]);
    const legend = [...document.querySelectorAll("g.legend text")].map((t) => t.textContent);
    expect(legend).toEqual(["full cache", "snapkv", "compresskv (agnostic)"]);
  });

  it("widens the legend for long labels and draws series past the palette dotted", () => {
    const many = budgetPlotSvg({
      title: "many",
      budgets: ["64"],
      series: Array.from({ length: 11 }, (_, i) => ({
        label: i === 10 ? "compresskv (exact plan, B per layer, uniform layer budgets)" : `m${i}`,
        scores: [0.5],
      })),
    });
    const document = parseSvg(many);
    // 59 characters: 48 + 59 x 6.5 = 431.5, 432 px of legend beside the 500 px of plot.
    expect(document.documentElement.getAttribute("width")).toBe("932");
    const dashes = [...document.querySelectorAll("g.series polyline")].map((p) => p.getAttribute("stroke-dasharray"));
    expect(dashes).toEqual([...Array(10).fill(null), "2 3"]);
    expect(parseSvg(svg).documentElement.getAttribute("width")).toBe("710");
  });
});
