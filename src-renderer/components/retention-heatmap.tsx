import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { DocumentText, TokenMap } from "../../src-main/api/contract";
import { describeCell, pageStartPositions, type CellDescription } from "../cache/heatmap-cursor";
import { heatmapHeight, paintHeatmap, parseRgb } from "../cache/heatmap-image";
import { rangesSize } from "../cache/flat-ranges";
import { formatCount } from "../format/quantities";
import { useAppState } from "../state/store-context";
import { useColorSchemeVersion } from "../theme/use-color-scheme-version";
import { useElementWidth } from "../theme/use-element-width";

interface RetentionHeatmapProps {
  documentId: string;
  /** Per layer, kept token positions as flattened [start, end) pairs. */
  layers: number[][];
  /** Per layer, whether it is a sliding-window layer (its row is the window its cache holds). */
  windowLayers?: readonly boolean[];
  /** A reservoir's positions (flattened [start, end) pairs): held for every answer, shown lighter than the kept ones. */
  reservoir?: number[];
  map: TokenMap;
  text: DocumentText;
  label?: string;
}

/** CSS pixels per layer row: rows stay legible for small models and fit for large ones. */
function rowHeightFor(layers: number): number {
  return Math.max(3, Math.min(22, Math.floor(200 / Math.max(1, layers))));
}

/**
 * Which document tokens each layer kept: one row per layer, the document along x. Drawn into a
 * canvas from the kept ranges (never one element per token), so 100k+ positions draw at once.
 * Hover or move with the arrow keys to read the text and page; click or Enter opens the document there.
 */
export function RetentionHeatmap({
  documentId,
  layers,
  windowLayers = [],
  reservoir,
  map,
  text,
  label = "Retained tokens",
}: RetentionHeatmapProps) {
  const { ref: frame, width: cssWidth } = useElementWidth<HTMLDivElement>(720);
  const canvas = useRef<HTMLCanvasElement>(null);
  const colorVersion = useColorSchemeVersion();
  const focusDocumentText = useAppState((s) => s.focusDocumentText);
  const [cursor, setCursor] = useState<{ layer: number; position: number } | null>(null);
  const domain = map.offsets.length;
  const rowHeight = rowHeightFor(layers.length);
  const gap = layers.length <= 48 ? 1 : 0;
  const cssHeight = heatmapHeight(layers.length, { rowHeight, gap });
  const pageTicks = useMemo(() => pageStartPositions(map, text), [map, text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: colours come from computed style; a new colorVersion (theme change) repaints.
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!element || !context || domain === 0) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(cssWidth * ratio));
    const layout = { width, rowHeight: Math.round(rowHeight * ratio), gap: Math.round(gap * ratio) };
    const height = heatmapHeight(layers.length, layout);
    element.width = width;
    element.height = height;
    const style = getComputedStyle(element);
    const kept = parseRgb(style.color, [36, 86, 199]);
    const evicted = parseRgb(style.backgroundColor, [238, 241, 245]);
    const held = reservoir ? { ranges: reservoir, color: parseRgb(style.caretColor, [185, 203, 242]) } : undefined;
    const pixels = paintHeatmap(layers, domain, layout, kept, evicted, held);
    context.putImageData(new ImageData(pixels, width, height), 0, 0);
    context.fillStyle = style.borderTopColor || "#888";
    for (const tick of pageTicks) {
      if (tick.position === 0) continue;
      context.fillRect(Math.floor((tick.position / domain) * width), 0, Math.max(1, Math.round(ratio)), height);
    }
  }, [layers, reservoir, domain, cssWidth, rowHeight, gap, pageTicks, colorVersion]);

  const described: CellDescription | null = useMemo(
    () => (cursor ? describeCell(layers, map, text, cursor.layer, cursor.position, reservoir) : null),
    [cursor, layers, map, text, reservoir],
  );

  const cellAt = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - box.left, 0), box.width - 1);
    const y = Math.min(Math.max(event.clientY - box.top, 0), box.height - 1);
    return {
      layer: Math.min(layers.length - 1, Math.floor(y / (rowHeight + gap))),
      position: Math.min(domain - 1, Math.floor((x / box.width) * domain)),
    };
  };

  const open = (cell: CellDescription | null) => {
    if (cell?.span) focusDocumentText(documentId, cell.span.start, cell.span.end);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const step = Math.max(1, Math.round(domain / 100));
    const current = cursor ?? { layer: 0, position: 0 };
    const moves: Record<string, { layer: number; position: number }> = {
      ArrowLeft: { ...current, position: Math.max(0, current.position - step) },
      ArrowRight: { ...current, position: Math.min(domain - 1, current.position + step) },
      ArrowUp: { ...current, layer: Math.max(0, current.layer - 1) },
      ArrowDown: { ...current, layer: Math.min(layers.length - 1, current.layer + 1) },
      Home: { ...current, position: 0 },
      End: { ...current, position: domain - 1 },
    };
    if (moves[event.key]) {
      event.preventDefault();
      setCursor(moves[event.key]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(described);
    }
  };

  return (
    <figure className="heatmap">
      <figcaption>
        {label}: {formatCount(layers.length)} layers × {formatCount(domain)} document positions
        {reservoir && (
          <span className="muted">
            {" "}
            · dark: kept for this answer; light: the rest of the reservoir ({formatCount(rangesSize(reservoir))}{" "}
            tokens), masked for this answer and kept for the next question
          </span>
        )}
        {windowLayers.some(Boolean) && (
          <span className="muted">
            {" "}
            · rows of sliding-window layers ({windowLayerList(windowLayers)}) show the window their cache holds
          </span>
        )}
      </figcaption>
      <div className="heatmap-frame" ref={frame}>
        <canvas
          ref={canvas}
          className="heatmap-canvas"
          style={{ height: cssHeight }}
          tabIndex={0}
          role="img"
          aria-label={`${label}, layer by document position. Arrow keys move, Enter opens the text.`}
          aria-describedby={`${documentId}-heatmap-cell`}
          onMouseMove={(event) => setCursor(cellAt(event))}
          onMouseLeave={() => setCursor(null)}
          onClick={(event) => {
            const cell = cellAt(event);
            open(describeCell(layers, map, text, cell.layer, cell.position, reservoir));
          }}
          onKeyDown={onKeyDown}
        />
        {described && cursor && (
          <div
            className="heatmap-tooltip"
            style={{
              left: `${Math.min(70, (cursor.position / Math.max(1, domain)) * 100)}%`,
              top: (cursor.layer + 1) * (rowHeight + gap) + 4,
            }}
          >
            <strong>{cellSummary(described, windowLayers)}</strong>
            {described.snippet && (
              <span className="heatmap-snippet">
                …{described.snippet.before}
                <mark>{described.snippet.word}</mark>
                {described.snippet.after}…
              </span>
            )}
          </div>
        )}
      </div>
      <p id={`${documentId}-heatmap-cell`} className="heatmap-status muted" aria-live="polite">
        {described
          ? cellSummary(described, windowLayers)
          : "Hover a row to read the text; click to open it in the document."}
      </p>
    </figure>
  );
}

function cellSummary(cell: CellDescription, windowLayers: readonly boolean[]): string {
  const where = cell.page === null ? "outside the document" : `page ${cell.page}`;
  const layer = windowLayers[cell.layer] ? `Layer ${cell.layer} (sliding window)` : `Layer ${cell.layer}`;
  const kept = windowLayers[cell.layer]
    ? cell.kept
      ? "in the window"
      : "outside the window"
    : cell.kept
      ? "kept"
      : cell.inReservoir
        ? "in the reservoir, not kept for this answer"
        : "evicted";
  return `${layer} · token ${formatCount(cell.position)} · ${where} · ${kept}`;
}

/** "1-4, 6-10": the window layers as runs. */
export function windowLayerList(windowLayers: readonly boolean[]): string {
  const runs: string[] = [];
  for (let layer = 0; layer < windowLayers.length; layer++) {
    if (!windowLayers[layer]) continue;
    let last = layer;
    while (windowLayers[last + 1]) last++;
    runs.push(last === layer ? `${layer}` : `${layer}-${last}`);
    layer = last;
  }
  return runs.join(", ");
}
