import type { ReactNode } from "react";
import Markdown, { type Components, type ExtraProps } from "react-markdown";
import remarkGfm from "remark-gfm";
import { escapeBareNumberLines } from "../markdown/bare-numbers";
import { rehypeTidyWhitespace } from "../markdown/tidy-whitespace";

/**
 * Links and images in an answer are shown, never followed or fetched: the shell lets the window go
 * nowhere but the app (and the browser bridge must not leave it either), and an answer must not
 * send the app anywhere or load anything. The address stays readable beside the text.
 */
function InertLink({ href, children }: { href?: string; children?: ReactNode }) {
  return (
    <span className="markdown-link" title={href}>
      {children} {href && <span className="muted">({href})</span>}
    </span>
  );
}

/** Answer headings stay out of the page's outline: they are styled text inside a message. */
function AnswerHeading({ node, children }: ExtraProps & { children?: ReactNode }) {
  const level = Number(node?.tagName.slice(1)) || 1;
  return (
    <p className={`markdown-heading markdown-heading-${Math.min(level, 3)}`}>
      <strong>{children}</strong>
    </p>
  );
}

const components: Components = {
  a: ({ href, children }) => <InertLink href={href}>{children}</InertLink>,
  img: ({ src, alt }) => <InertLink href={typeof src === "string" ? src : undefined}>{alt}</InertLink>,
  h1: AnswerHeading,
  h2: AnswerHeading,
  h3: AnswerHeading,
  h4: AnswerHeading,
  h5: AnswerHeading,
  h6: AnswerHeading,
};

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeTidyWhitespace];

/**
 * An answer's Markdown (CommonMark and GFM: tables, strikethrough, task lists) as React elements.
 * HTML in an answer is shown as the text it is, never parsed (no rehype-raw).
 */
export function MarkdownText({ text, className = "markdown" }: { text: string; className?: string }) {
  return (
    <div className={className}>
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {escapeBareNumberLines(text)}
      </Markdown>
    </div>
  );
}
