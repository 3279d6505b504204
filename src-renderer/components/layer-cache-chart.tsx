import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { CompressionReport } from "../../src-main/api/contract";
import { formatCount } from "../format/quantities";

interface LayerRow {
  layer: number;
  budget: number;
  kept: number;
  /** Percent of the window's attention mass the kept cells hold; null when not measured. */
  retained: number | null;
  /** A sliding-window layer: it holds llama.cpp's window, not what the method chose. */
  window: boolean;
}

export function layerRows(report: CompressionReport): LayerRow[] {
  return report.layers.map((layer, index) => ({
    layer: index,
    budget: layer.budget,
    kept: layer.visible,
    retained: layer.retainedMass === null ? null : Math.round(layer.retainedMass * 1000) / 10,
    window: layer.window === true,
  }));
}

/**
 * Per layer: the budget the method allotted, the cells the layer actually sees, and the share of
 * attention mass those cells retain. A sliding-window layer (Gemma 3's local layers) shows the window
 * its cache holds, in its own colour: the method does not choose for it. The numbers are also in a
 * table for screen readers and tests.
 */
export function LayerCacheChart({
  report,
  title = "Per-layer cache",
  height = 200,
}: {
  report: CompressionReport;
  title?: string;
  height?: number;
}) {
  const rows = layerRows(report);
  const measured = rows.some((row) => row.retained !== null);
  const windowLayers = rows.filter((row) => row.window).length;
  return (
    <figure className="layer-chart">
      <figcaption>
        {title}
        {report.reading === "reservoir" && (
          <span className="muted">
            {" "}
            · cells each layer sees for this answer, chosen out of a reservoir of {formatCount(report.reservoirCells)}{" "}
            (the rest is masked, not evicted)
          </span>
        )}
        {windowLayers > 0 && (
          <span className="muted">
            {" "}
            · {formatCount(windowLayers)} of {formatCount(rows.length)} layers keep a sliding window (teal bars): they
            hold the last tokens llama.cpp keeps for them; the method compresses the other{" "}
            {formatCount(rows.length - windowLayers)}
          </span>
        )}
      </figcaption>
      <div aria-hidden="true">
        <ComposedChart
          responsive
          data={rows}
          style={{ width: "100%", height }}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis
            dataKey="layer"
            tick={{ fill: "var(--text-muted)", fontSize: 11 }}
            label={{
              value: "layer",
              position: "insideBottomRight",
              offset: -2,
              fill: "var(--text-muted)",
              fontSize: 11,
            }}
          />
          <YAxis yAxisId="cells" tick={{ fill: "var(--text-muted)", fontSize: 11 }} width={52} />
          {measured && (
            <YAxis
              yAxisId="mass"
              orientation="right"
              domain={[0, 100]}
              unit="%"
              tick={{ fill: "var(--text-muted)", fontSize: 11 }}
              width={44}
            />
          )}
          <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="cells"
            dataKey="budget"
            name="Allocated budget"
            fill="var(--chart-budget)"
            isAnimationActive={false}
          />
          <Bar yAxisId="cells" dataKey="kept" name="Cells kept" fill="var(--chart-kept)" isAnimationActive={false}>
            {rows.map((row) => (
              <Cell key={row.layer} fill={row.window ? "var(--chart-window)" : "var(--chart-kept)"} />
            ))}
          </Bar>
          {measured && (
            <Line
              yAxisId="mass"
              dataKey="retained"
              name="Attention mass retained (%)"
              stroke="var(--chart-mass)"
              strokeWidth={2}
              dot
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </div>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Cache</th>
            <th scope="col">Allocated budget</th>
            <th scope="col">Cells kept</th>
            <th scope="col">Attention mass retained</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.layer}>
              <th scope="row">{row.layer}</th>
              <td>{row.window ? "sliding window" : "compressed"}</td>
              <td>{formatCount(row.budget)}</td>
              <td>{formatCount(row.kept)}</td>
              <td>{row.retained === null ? "not measured" : `${row.retained}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
