import type { GridSummary } from "../aggregate";
import { scoreColor, svgDocument, tag, text } from "./svg-markup";

const CELL_WIDTH = 56;
const CELL_HEIGHT = 30;
const LEFT = 90;
const TOP = 48;
const LEGEND_WIDTH = 70;

/**
 * A NIAH heatmap: context length (rows, top to bottom ascending) by needle depth (columns), each cell
 * coloured and labelled with its mean score in percent; cells without results are grey.
 */
export function niahHeatmapSvg(grid: GridSummary, title: string): string {
  const width = Math.max(LEFT + grid.depths.length * CELL_WIDTH + LEGEND_WIDTH, 20 + title.length * 8);
  const height = TOP + grid.lengths.length * CELL_HEIGHT + 44;
  const parts: string[] = [text(10, 22, title, { "font-size": 14, "font-weight": "bold" })];
  grid.lengths.forEach((length, row) => {
    const y = TOP + row * CELL_HEIGHT;
    parts.push(text(LEFT - 8, y + CELL_HEIGHT / 2 + 4, String(length), { "text-anchor": "end" }));
    grid.depths.forEach((_, column) => {
      const x = LEFT + column * CELL_WIDTH;
      const cell = grid.cells[row][column];
      const label = cell ? `${Math.round(100 * cell.mean)}` : "";
      const tooltip = cell
        ? `length ${length}, depth ${grid.depths[column]}: ${(100 * cell.mean).toFixed(1)} % of ${cell.count}`
        : "no results";
      parts.push(
        tag("g", { class: "cell" }, [
          tag("title", {}, tooltip),
          tag("rect", {
            x,
            y,
            width: CELL_WIDTH,
            height: CELL_HEIGHT,
            fill: cell ? scoreColor(cell.mean) : "#dddddd",
            stroke: "#ffffff",
          }),
          label ? text(x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4, label, { "text-anchor": "middle" }) : "",
        ]),
      );
    });
  });
  const bottom = TOP + grid.lengths.length * CELL_HEIGHT;
  grid.depths.forEach((depth, column) => {
    parts.push(
      text(LEFT + column * CELL_WIDTH + CELL_WIDTH / 2, bottom + 16, `${Math.round(100 * depth)}%`, {
        "text-anchor": "middle",
      }),
    );
  });
  parts.push(
    text(LEFT + (grid.depths.length * CELL_WIDTH) / 2, bottom + 36, "needle depth", { "text-anchor": "middle" }),
  );
  parts.push(
    text(14, TOP + (grid.lengths.length * CELL_HEIGHT) / 2, "tokens", {
      transform: `rotate(-90 14 ${TOP + (grid.lengths.length * CELL_HEIGHT) / 2})`,
      "text-anchor": "middle",
    }),
  );
  parts.push(
    colorLegend(LEFT + grid.depths.length * CELL_WIDTH + 20, TOP, Math.max(CELL_HEIGHT * grid.lengths.length, 60)),
  );
  return svgDocument(width, height, title, parts);
}

function colorLegend(x: number, y: number, height: number): string {
  const steps = 10;
  const parts: string[] = [];
  for (let i = 0; i < steps; i++) {
    const value = 1 - (i + 0.5) / steps;
    parts.push(
      tag("rect", { x, y: y + (i * height) / steps, width: 12, height: height / steps + 0.5, fill: scoreColor(value) }),
    );
  }
  parts.push(text(x + 16, y + 9, "100"), text(x + 16, y + height, "0"));
  return tag("g", { class: "legend" }, parts);
}
