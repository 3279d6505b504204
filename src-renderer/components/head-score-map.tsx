import type { ModelProfileSummary } from "../../src-main/api/contract";
import { formatCount, formatDuration } from "../format/quantities";

const CELL = 14;

/**
 * The calibration's semantic retrieval scores, layer by head, each layer scaled to its own best
 * head (scores differ by orders of magnitude between layers); the heads CompressKV uses are ringed.
 */
export function HeadScoreMap({ profile }: { profile: ModelProfileSummary }) {
  const layers = profile.semanticScores.length;
  const heads = Math.max(0, ...profile.semanticScores.map((row) => row.length));
  const chosen = profile.chosenHeads.map((row) => new Set(row));
  const width = heads * CELL;
  const height = layers * CELL;
  return (
    <figure className="head-map">
      <figcaption>
        Semantic retrieval heads: {formatCount(layers)} layers × {formatCount(heads)} heads, from{" "}
        {formatCount(profile.probesCounted)} of {formatCount(profile.probesRun)} probes answered right (calibrated in{" "}
        {formatDuration(profile.durationMs)})
      </figcaption>
      <div className="head-map-body">
        <span className="head-map-axis muted">layer ↓ · head →</span>
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width={Math.min(width, 640)}
          role="img"
          aria-label="Head scores by layer and head; chosen heads are ringed"
        >
          {profile.semanticScores.map((row, layer) => {
            const best = Math.max(...row, 0);
            return row.map((score, head) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: the cell is (layer, head); the grid never reorders.
                key={`${layer}-${head}`}
                x={head * CELL}
                y={layer * CELL}
                width={CELL - 1}
                height={CELL - 1}
                className={chosen[layer]?.has(head) ? "head-cell head-chosen" : "head-cell"}
                style={{ fillOpacity: best > 0 ? 0.08 + 0.92 * (score / best) : 0.08 }}
              >
                <title>{`Layer ${layer}, head ${head}: score ${score.toPrecision(3)}${chosen[layer]?.has(head) ? " (chosen)" : ""}`}</title>
              </rect>
            ));
          })}
        </svg>
      </div>
      <table className="visually-hidden">
        <caption>Chosen heads per layer</caption>
        <tbody>
          {profile.chosenHeads.map((row, layer) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the row is the layer; layers never reorder.
            <tr key={layer}>
              <th scope="row">Layer {layer}</th>
              <td>{row.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
