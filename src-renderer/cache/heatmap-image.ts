import { rangeCoverage } from "./flat-ranges";

export type Rgb = readonly [number, number, number];

export interface HeatmapLayout {
  /** Device pixels. */
  width: number;
  rowHeight: number;
  /** Device pixels between rows. */
  gap: number;
}

/** Positions held in memory but not kept by any row (a reservoir), painted in their own colour. */
export interface HeldBackground {
  /** Flattened [start, end) pairs; every row's kept ranges lie inside them. */
  ranges: readonly number[];
  color: Rgb;
}

/**
 * Paints one row per layer into an RGBA buffer: each pixel column blends from `evicted` to `kept`
 * by the share of its token positions the layer keeps. With `held` (a reservoir), the share held but
 * not kept takes the held colour. Cost: ranges plus pixels, per layer.
 */
export function paintHeatmap(
  layers: readonly (readonly number[])[],
  domain: number,
  layout: HeatmapLayout,
  kept: Rgb,
  evicted: Rgb,
  held?: HeldBackground,
): Uint8ClampedArray<ArrayBuffer> {
  const { width, rowHeight, gap } = layout;
  const height = heatmapHeight(layers.length, layout);
  const pixels = new Uint8ClampedArray(width * height * 4);
  const heldCoverage = held ? rangeCoverage(held.ranges, domain, width) : null;
  const heldColor = held?.color ?? kept;
  layers.forEach((ranges, layer) => {
    const coverage = rangeCoverage(ranges, domain, width);
    const top = layer * (rowHeight + gap);
    for (let x = 0; x < width; x++) {
      const share = coverage[x];
      const heldOnly = heldCoverage ? Math.max(0, heldCoverage[x] - share) : 0;
      const r = evicted[0] + (kept[0] - evicted[0]) * share + (heldColor[0] - evicted[0]) * heldOnly;
      const g = evicted[1] + (kept[1] - evicted[1]) * share + (heldColor[1] - evicted[1]) * heldOnly;
      const b = evicted[2] + (kept[2] - evicted[2]) * share + (heldColor[2] - evicted[2]) * heldOnly;
      for (let y = top; y < top + rowHeight; y++) {
        const at = (y * width + x) * 4;
        pixels[at] = r;
        pixels[at + 1] = g;
        pixels[at + 2] = b;
        pixels[at + 3] = 255;
      }
    }
  });
  return pixels;
}

export function heatmapHeight(layers: number, layout: Pick<HeatmapLayout, "rowHeight" | "gap">): number {
  return Math.max(0, layers * (layout.rowHeight + layout.gap) - layout.gap);
}

/** "rgb(36, 86, 199)" or "rgba(...)" as computed by the browser. */
export function parseRgb(color: string, fallback: Rgb): Rgb {
  const match = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : fallback;
}
