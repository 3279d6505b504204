/**
 * A small Markdown subset for model answers: paragraphs, headings, fenced code, bullet and numbered
 * lists, and inline emphasis, strong, code and links. It produces a tree, never HTML; links keep
 * their text and address as text, so nothing in an answer can navigate or run.
 */

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "emphasis"; children: Inline[] }
  | { kind: "strong"; children: Inline[] }
  | { kind: "code"; text: string }
  | { kind: "link"; children: Inline[]; href: string };

export type Block =
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "heading"; level: number; children: Inline[] }
  | { kind: "code"; text: string }
  | { kind: "list"; ordered: boolean; start: number; items: Inline[][] };

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];

  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: "paragraph", children: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      const code: string[] = [];
      // An unclosed fence (an answer still streaming) runs to the end of the text.
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) code.push(lines[i]);
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ kind: "heading", level: heading[1].length, children: parseInline(heading[2]) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (bullet || numbered) {
      endParagraph();
      const ordered = !bullet;
      const items: Inline[][] = [];
      const start = numbered && !bullet ? Number(numbered[1]) : 1;
      for (; i < lines.length; i++) {
        const item = ordered ? NUMBERED.exec(lines[i]) : BULLET.exec(lines[i]);
        if (!item) break;
        items.push(parseInline(ordered ? item[2] : item[1]));
      }
      i--;
      blocks.push({ kind: "list", ordered, start, items });
      continue;
    }
    if (line.trim() === "") endParagraph();
    else paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

/** Inline spans; an opening mark without its closing one stays literal text. */
export function parseInline(source: string): Inline[] {
  const nodes: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) nodes.push({ kind: "text", text });
    text = "";
  };

  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (rest[0] === "\\" && rest.length > 1 && /[\\`*_[\]()#+\-.!]/.test(rest[1])) {
      text += rest[1];
      i += 2;
      continue;
    }
    if (rest[0] === "`") {
      const end = source.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        nodes.push({ kind: "code", text: source.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (strong) {
      flush();
      nodes.push({ kind: "strong", children: parseInline(strong[2]) });
      i += strong[0].length;
      continue;
    }
    const emphasis = /^(\*|_)(?=[^\s*_])([\s\S]*?[^\s\\])\1(?![*_])/.exec(rest);
    if (emphasis && !(rest[0] === "_" && /\w/.test(source[i - 1] ?? ""))) {
      flush();
      nodes.push({ kind: "emphasis", children: parseInline(emphasis[2]) });
      i += emphasis[0].length;
      continue;
    }
    const link = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest);
    if (link) {
      flush();
      nodes.push({ kind: "link", children: parseInline(link[1]), href: link[2] });
      i += link[0].length;
      continue;
    }
    text += rest[0];
    i++;
  }
  flush();
  return nodes;
}
