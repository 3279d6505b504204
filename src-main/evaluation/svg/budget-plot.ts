import { svgDocument, tag, text } from "./svg-markup";

export interface BudgetSeries {
  label: string;
  /** Mean score (0..1) at each budget of the plot, null where there is none. */
  scores: (number | null)[];
}

export interface BudgetPlot {
  title: string;
  /** Budgets in order, as labels (equally spaced: they are usually doublings). */
  budgets: string[];
  series: BudgetSeries[];
  /** The full cache's score, drawn as a dashed line across. */
  full?: number;
  xLabel?: string;
  /** Default "score (%)". */
  yLabel?: string;
}

const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#bcbd22",
  "#7f7f7f",
];
const PLOT = { left: 60, top: 40, width: 440, height: 280 };
const LEGEND_WIDTH = 210;
/** Roughly the width of a character of the legend's 12 px Helvetica, to make room for long labels. */
const LEGEND_CHARACTER = 6.5;
/** The full cache's line, in the plot and in the legend. */
const FULL_DASH = "6 4";
/** Series past the palette's length are drawn dotted, so that no two look alike. */
const SECOND_CYCLE_DASH = "2 3";

/** Accuracy against budget: one coloured line with markers per series, the full cache dashed. */
export function budgetPlotSvg(plot: BudgetPlot): string {
  const { left, top, width, height } = PLOT;
  const x = (index: number) =>
    left + (plot.budgets.length === 1 ? width / 2 : (index * width) / (plot.budgets.length - 1));
  const y = (score: number) => top + height * (1 - score);
  const parts: string[] = [text(left, 24, plot.title, { "font-size": 14, "font-weight": "bold" })];

  for (let tick = 0; tick <= 100; tick += 20) {
    const ty = y(tick / 100);
    parts.push(tag("line", { x1: left, x2: left + width, y1: ty, y2: ty, stroke: "#e5e5e5" }));
    parts.push(text(left - 6, ty + 4, String(tick), { "text-anchor": "end" }));
  }
  plot.budgets.forEach((budget, index) => {
    parts.push(tag("line", { x1: x(index), x2: x(index), y1: top + height, y2: top + height + 4, stroke: "#333333" }));
    parts.push(text(x(index), top + height + 18, budget, { "text-anchor": "middle" }));
  });
  parts.push(tag("rect", { x: left, y: top, width, height, fill: "none", stroke: "#333333" }));
  parts.push(
    text(left + width / 2, top + height + 38, plot.xLabel ?? "budget (KV cells)", { "text-anchor": "middle" }),
  );
  parts.push(
    text(16, top + height / 2, plot.yLabel ?? "score (%)", {
      transform: `rotate(-90 16 ${top + height / 2})`,
      "text-anchor": "middle",
    }),
  );

  const legend: string[] = [];
  const legendX = left + width + 20;
  let legendRow = 0;
  const addLegend = (label: string, color: string, dash: string | undefined) => {
    const ly = top + 8 + legendRow++ * 18;
    legend.push(
      tag("line", {
        x1: legendX,
        x2: legendX + 22,
        y1: ly,
        y2: ly,
        stroke: color,
        "stroke-width": 2,
        "stroke-dasharray": dash,
      }),
    );
    legend.push(text(legendX + 28, ly + 4, label));
  };
  if (plot.full !== undefined) {
    parts.push(
      tag("line", {
        class: "full",
        x1: left,
        x2: left + width,
        y1: y(plot.full),
        y2: y(plot.full),
        stroke: "#000000",
        "stroke-width": 1.5,
        "stroke-dasharray": FULL_DASH,
      }),
    );
    addLegend("full cache", "#000000", FULL_DASH);
  }
  plot.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length];
    const dash = index >= PALETTE.length ? SECOND_CYCLE_DASH : undefined;
    const points = series.scores.flatMap((score, i) => (score === null ? [] : [[x(i), y(score)] as const]));
    const line = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
    const markers = points.map(([px, py]) => tag("circle", { cx: px, cy: py, r: 3.5, fill: color }));
    parts.push(
      tag("g", { class: "series", "data-label": series.label }, [
        tag("polyline", { points: line, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": dash }),
        ...markers,
      ]),
    );
    addLegend(series.label, color, dash);
  });
  parts.push(tag("g", { class: "legend" }, legend));
  const heightAll = Math.max(top + height + 50, top + 8 + legendRow * 18);
  const longest = Math.max(0, ...plot.series.map((series) => series.label.length));
  const legendWidth = Math.max(LEGEND_WIDTH, Math.ceil(48 + longest * LEGEND_CHARACTER));
  return svgDocument(left + width + legendWidth, heightAll, plot.title, parts);
}
