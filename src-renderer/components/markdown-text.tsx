import { Fragment, useMemo, type ReactNode } from "react";
import { parseMarkdown, type Block, type Inline } from "../markdown/markdown-blocks";

function inlineNodes(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case "text":
        return <Fragment key={index}>{node.text}</Fragment>;
      case "emphasis":
        return <em key={index}>{inlineNodes(node.children)}</em>;
      case "strong":
        return <strong key={index}>{inlineNodes(node.children)}</strong>;
      case "code":
        return <code key={index}>{node.text}</code>;
      case "link":
        // Shown, not followed: an answer must not send the app anywhere.
        return (
          <span key={index} className="markdown-link" title={node.href}>
            {inlineNodes(node.children)} <span className="muted">({node.href})</span>
          </span>
        );
    }
  });
}

function blockNode(block: Block, index: number): ReactNode {
  switch (block.kind) {
    case "paragraph":
      return <p key={index}>{inlineNodes(block.children)}</p>;
    case "heading":
      return (
        <p key={index} className={`markdown-heading markdown-heading-${Math.min(block.level, 3)}`}>
          <strong>{inlineNodes(block.children)}</strong>
        </p>
      );
    case "code":
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case "list": {
      const items = block.items.map((item, i) => <li key={i}>{inlineNodes(item)}</li>);
      return block.ordered ? (
        <ol key={index} start={block.start}>
          {items}
        </ol>
      ) : (
        <ul key={index}>{items}</ul>
      );
    }
  }
}

/** An answer's Markdown as React elements (never HTML strings). */
export function MarkdownText({ text, className = "markdown" }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <div className={className}>{blocks.map(blockNode)}</div>;
}
