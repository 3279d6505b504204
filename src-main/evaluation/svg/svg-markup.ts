/** Just enough SVG writing for the evaluation's pictures: escaped text and attributes, no dependencies. */

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

type Attributes = Record<string, string | number | undefined>;

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

/** `<name attributes>children</name>`, or self-closed without children; undefined attributes are left out. */
export function tag(name: string, attributes: Attributes, children: string | string[] = ""): string {
  const attributeText = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === "number" ? formatNumber(value) : escapeXml(value!)}"`)
    .join("");
  const content = Array.isArray(children) ? children.join("") : children;
  return content ? `<${name}${attributeText}>${content}</${name}>` : `<${name}${attributeText}/>`;
}

export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return tag("text", { x, y, ...attributes }, escapeXml(content));
}

/** A standalone SVG document of the given size on a white background. */
export function svgDocument(width: number, height: number, title: string, children: string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    tag(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        "font-family": "Helvetica, Arial, sans-serif",
        "font-size": 12,
      },
      [tag("title", {}, escapeXml(title)), tag("rect", { width, height, fill: "#ffffff" }), ...children],
    ) +
    "\n"
  );
}

const SCALE: [number, [number, number, number]][] = [
  [0, [215, 48, 39]],
  [0.5, [254, 224, 139]],
  [1, [26, 152, 80]],
];

/** Red (0) through yellow (0.5) to green (1), as NIAH pictures colour accuracy. */
export function scoreColor(value: number): string {
  const v = Math.min(1, Math.max(0, value));
  const upper = SCALE.findIndex(([stop]) => stop >= v);
  const [high, highColor] = SCALE[Math.max(1, upper)];
  const [low, lowColor] = SCALE[Math.max(1, upper) - 1];
  const t = (v - low) / (high - low);
  const channel = (i: number) => Math.round(lowColor[i] + t * (highColor[i] - lowColor[i]));
  return `#${[0, 1, 2].map((i) => channel(i).toString(16).padStart(2, "0")).join("")}`;
}
