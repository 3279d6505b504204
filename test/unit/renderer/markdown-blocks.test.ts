import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "../../../src-renderer/markdown/markdown-blocks";

const text = (value: string) => ({ kind: "text", text: value });

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps single line breaks inside one", () => {
    expect(parseMarkdown("First line\nsecond line\n\nNext")).toEqual([
      { kind: "paragraph", children: [text("First line\nsecond line")] },
      { kind: "paragraph", children: [text("Next")] },
    ]);
  });

  it("reads headings, bullet and numbered lists, and fenced code", () => {
    expect(parseMarkdown("## Pages\n- one\n* two\n\n3. three\n4) four\n```ts\nconst a = 1 * 2;\n```")).toEqual([
      { kind: "heading", level: 2, children: [text("Pages")] },
      { kind: "list", ordered: false, start: 1, items: [[text("one")], [text("two")]] },
      { kind: "list", ordered: true, start: 3, items: [[text("three")], [text("four")]] },
      { kind: "code", text: "const a = 1 * 2;" },
    ]);
  });

  it("runs an unclosed fence (an answer still streaming) to the end", () => {
    expect(parseMarkdown("Code:\n```\nline 1\nline 2")).toEqual([
      { kind: "paragraph", children: [text("Code:")] },
      { kind: "code", text: "line 1\nline 2" },
    ]);
  });
});

describe("parseInline", () => {
  it("reads strong, emphasis, code and links, nested", () => {
    expect(parseInline("**Bold _and em_** then `x*y` and [the page](https://example.org/p)")).toEqual([
      { kind: "strong", children: [text("Bold "), { kind: "emphasis", children: [text("and em")] }] },
      text(" then "),
      { kind: "code", text: "x*y" },
      text(" and "),
      { kind: "link", children: [text("the page")], href: "https://example.org/p" },
    ]);
  });

  it("leaves unmatched marks, snake_case words, arithmetic and escapes as text", () => {
    expect(parseInline("a * b, snake_case_name, 2*3 = 6, \\*not em\\*, *open")).toEqual([
      text("a * b, snake_case_name, 2*3 = 6, *not em*, *open"),
    ]);
  });

  it("keeps markup-looking HTML as plain text", () => {
    expect(parseInline('<img src=x onerror="alert(1)">')).toEqual([text('<img src=x onerror="alert(1)">')]);
  });
});
