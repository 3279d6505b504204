// @vitest-environment jsdom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MarkdownText } from "../../../src-renderer/components/markdown-text";

afterEach(cleanup);

function rendered(source: string): HTMLElement {
  return render(<MarkdownText text={source} />).container.querySelector(".markdown") as HTMLElement;
}

const texts = (root: Element, selector: string) => [...root.querySelectorAll(selector)].map((e) => e.textContent);

describe("MarkdownText blocks", () => {
  it("splits paragraphs on blank lines and keeps single line breaks inside one", () => {
    const root = rendered("First line\nsecond line\n\nNext");
    expect(texts(root, ":scope > *")).toEqual(["First line\nsecond line", "Next"]);
    expect(texts(root, ":scope > p")).toHaveLength(2);
  });

  it("reads headings, bullet and numbered lists, and fenced code", () => {
    const root = rendered("## Pages\n- one\n* two\n\n3. three\n4) four\n```ts\nconst a = 1 * 2;\n```");
    expect(texts(root, ".markdown-heading-2")).toEqual(["Pages"]);
    expect(texts(root, "ul > li")).toEqual(["one", "two"]);
    expect(texts(root, "ol > li")).toEqual(["three", "four"]);
    expect(root.querySelector("ol")?.getAttribute("start")).toBe("3");
    expect(texts(root, "pre > code")).toEqual(["const a = 1 * 2;"]);
  });

  it("keeps a line that is only a number and a period as text, not an empty list item", () => {
    expect(rendered(" 111390.").textContent).toBe("111390.");
    expect(rendered("It was\n\n1990)").textContent).toBe("It was1990)");
    expect(texts(rendered("2. two\n3. three"), "ol > li")).toEqual(["two", "three"]);
    expect(texts(rendered("```\n42.\n```"), "pre > code")).toEqual(["42."]);
  });

  it("runs an unclosed fence (an answer still streaming) to the end", () => {
    const root = rendered("Code:\n```\nline 1\nline 2");
    expect(texts(root, ":scope > p")).toEqual(["Code:"]);
    expect(texts(root, "pre > code")).toEqual(["line 1\nline 2"]);
  });
});

describe("MarkdownText inline", () => {
  it("reads strong, emphasis, code and links, nested", () => {
    const root = rendered("**Bold _and em_** then `x*y` and [the page](https://example.org/p)");
    const paragraph = root.querySelector("p") as HTMLElement;
    expect(paragraph.querySelector("strong")?.firstChild?.textContent).toBe("Bold ");
    expect(texts(paragraph, "strong > em")).toEqual(["and em"]);
    expect(texts(paragraph, "code")).toEqual(["x*y"]);
    const link = paragraph.querySelector(".markdown-link") as HTMLElement;
    expect(link.firstChild?.textContent).toBe("the page");
    expect(link.title).toBe("https://example.org/p");
    expect(paragraph.textContent).toBe("Bold and em then x*y and the page (https://example.org/p)");
  });

  it("shows a link's address and never makes it something to follow", () => {
    const root = rendered(
      "[click](javascript:alert(1)) and <https://example.org> and ![pic](https://example.org/x.png)",
    );
    expect(root.querySelector("a")).toBeNull();
    expect(root.querySelector("img")).toBeNull();
    expect(texts(root, ".markdown-link")).toEqual([
      // react-markdown's URL check drops the javascript: address altogether.
      "click ",
      "https://example.org (https://example.org)",
      "pic (https://example.org/x.png)",
    ]);
  });

  it("leaves unmatched marks, snake_case words, arithmetic and escapes as text", () => {
    const root = rendered("a * b, snake_case_name, 2*3 = 6, \\*not em\\*, *open");
    expect(root.innerHTML).toBe("<p>a * b, snake_case_name, 2*3 = 6, *not em*, *open</p>");
  });

  it("keeps markup-looking HTML as plain text", () => {
    const root = rendered('<img src=x onerror="alert(1)">');
    expect(root.querySelector("img")).toBeNull();
    expect(root.textContent).toBe('<img src=x onerror="alert(1)">');
  });

  it("renders GFM tables and strikethrough", () => {
    const root = rendered("| Page | Ship |\n|---|---|\n| 2 | Aurora |\n\n~~gone~~");
    expect(texts(root, "table th")).toEqual(["Page", "Ship"]);
    expect(texts(root, "table td")).toEqual(["2", "Aurora"]);
    expect(texts(root, "del")).toEqual(["gone"]);
  });
});
