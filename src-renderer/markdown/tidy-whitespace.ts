/**
 * A rehype plugin for answers: drops the line breaks the Markdown-to-HTML step puts between block
 * elements (they are no content, only source layout) and the newline it appends to a code block's
 * text, so an answer's DOM holds what the answer says and nothing else.
 */

interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  children?: HastNode[];
}

const BLOCKS = new Set("p ul ol li pre blockquote table thead tbody tr th td hr h1 h2 h3 h4 h5 h6 section".split(" "));
/** Elements whose text children can only be layout (their content is elements). */
const CONTAINERS = new Set("ul ol blockquote table thead tbody tr".split(" "));

const isBlock = (node: HastNode | undefined) => node?.type === "element" && BLOCKS.has(node.tagName ?? "");
const isLayoutBreak = (node: HastNode) => node.type === "text" && /^\n+$/.test(node.value ?? "");

function tidy(node: HastNode): void {
  const children = node.children;
  if (!children) return;
  const container = node.type === "root" || CONTAINERS.has(node.tagName ?? "");
  node.children = children.filter(
    (child, i) => !(isLayoutBreak(child) && (container || isBlock(children[i - 1]) || isBlock(children[i + 1]))),
  );
  if (node.tagName === "pre") {
    const code = node.children.find((child) => child.tagName === "code");
    const last = code?.children?.at(-1);
    if (last?.type === "text" && last.value?.endsWith("\n")) last.value = last.value.slice(0, -1);
  }
  for (const child of node.children) tidy(child);
}

export function rehypeTidyWhitespace() {
  return (tree: HastNode) => {
    tidy(tree);
  };
}
