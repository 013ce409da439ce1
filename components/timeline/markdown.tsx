import type { ComponentProps, ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { CopyButton } from "./copy-button";

/**
 * Agent text as Markdown (GitHub's flavour: tables, task lists, strikethrough, autolinks; a line
 * break is kept, as in a GitHub comment), safe by construction, with nothing set as inner HTML:
 * - raw HTML in the text is shown as the text it is, never as markup (`rawHtmlAsText`);
 * - the tree is sanitised anyway (rehype-sanitize, GitHub's schema): no script, no event handler,
 *   no `javascript:` URL gets through, whatever a later change lets into the tree;
 * - links open in a new tab with `rel="noopener noreferrer nofollow"`; images are never loaded (a
 *   viewer's browser fetches nothing a message points at): they show as a link to the image;
 * - code blocks are highlighted by highlight.js (through rehype-highlight, the same on the server
 *   and in the browser; the colours are classes below, no stylesheet to load) and get a copy button.
 */

type TNode = { type: string; value?: string; children?: TNode[] };

/** remark plugin: HTML written in the Markdown becomes text. */
function rawHtmlAsText() {
  const walk = (node: TNode) => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(walk);
  };
  return (tree: TNode) => walk(tree);
}

/** The text of a hast node (a code block's source, for the copy button). */
function textOf(node: TNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

const SCHEMA = {
  ...defaultSchema,
  // task list checkboxes stay, disabled (the schema's default); nothing else is added to it
  protocols: { ...defaultSchema.protocols, href: ["http", "https", "mailto"] },
};

const REMARK_PLUGINS = [remarkGfm, remarkBreaks, rawHtmlAsText];
const REHYPE_PLUGINS: ComponentProps<typeof ReactMarkdown>["rehypePlugins"] = [
  [rehypeSanitize, SCHEMA],
  // after sanitising: its spans come from the code's text, never from the message's markup
  [rehypeHighlight, { detect: false }],
];

/** highlight.js token colours, light and dark (GitHub's palette, roughly). */
const HLJS =
  "[&_.hljs-comment]:text-zinc-500 [&_.hljs-comment]:italic [&_.hljs-quote]:text-zinc-500 " +
  "[&_.hljs-keyword]:text-rose-700 [&_.hljs-selector-tag]:text-rose-700 [&_.hljs-meta_.hljs-keyword]:text-rose-700 [&_.hljs-built_in]:text-orange-700 " +
  "[&_.hljs-string]:text-sky-800 [&_.hljs-regexp]:text-sky-800 [&_.hljs-addition]:text-emerald-800 [&_.hljs-deletion]:text-red-800 " +
  "[&_.hljs-number]:text-blue-700 [&_.hljs-literal]:text-blue-700 [&_.hljs-attr]:text-blue-700 [&_.hljs-variable]:text-orange-700 " +
  "[&_.hljs-title]:text-violet-700 [&_.hljs-section]:text-violet-700 [&_.hljs-type]:text-orange-700 [&_.hljs-meta]:text-zinc-600 " +
  "dark:[&_.hljs-comment]:text-zinc-400 dark:[&_.hljs-keyword]:text-rose-300 dark:[&_.hljs-selector-tag]:text-rose-300 dark:[&_.hljs-built_in]:text-orange-300 " +
  "dark:[&_.hljs-string]:text-sky-300 dark:[&_.hljs-regexp]:text-sky-300 dark:[&_.hljs-addition]:text-emerald-300 dark:[&_.hljs-deletion]:text-red-300 " +
  "dark:[&_.hljs-number]:text-blue-300 dark:[&_.hljs-literal]:text-blue-300 dark:[&_.hljs-attr]:text-blue-300 dark:[&_.hljs-variable]:text-orange-300 " +
  "dark:[&_.hljs-title]:text-violet-300 dark:[&_.hljs-section]:text-violet-300 dark:[&_.hljs-type]:text-orange-300 dark:[&_.hljs-meta]:text-zinc-400";

function CodeBlock({ node, children }: { node?: TNode; children?: ReactNode }) {
  const code = node?.children?.find((child) => child.type === "element") as (TNode & { properties?: { className?: unknown } }) | undefined;
  const classes = Array.isArray(code?.properties?.className) ? (code.properties.className as string[]) : [];
  const language = classes.find((c) => c.startsWith("language-"))?.slice("language-".length) ?? "";
  const source = textOf(code).replace(/\n$/, "");
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-1 dark:border-zinc-800">
        <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{language || "code"}</span>
        <CopyButton text={source} label="Copy code" />
      </div>
      <pre aria-label={language ? `${language} code` : "Code"} className={`overflow-x-auto px-3 py-2 font-mono text-[0.8125rem] leading-normal [&>code]:bg-transparent [&>code]:p-0 ${HLJS}`}>
        {children}
      </pre>
    </div>
  );
}

const COMPONENTS: Components = {
  // a link within the message (a footnote) stays in the page; any other opens in a new tab
  a: ({ href, children }) => (
    <a
      href={href}
      {...(href?.startsWith("#") ? {} : { target: "_blank", rel: "noopener noreferrer nofollow" })}
      className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-600 dark:text-brand-300"
    >
      {children}
    </a>
  ),
  img: ({ src, alt }) =>
    typeof src === "string" && src !== "" ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline underline-offset-2 dark:text-brand-300">
        [image: {alt || src}]
      </a>
    ) : (
      <span>[image{alt ? `: ${alt}` : ""}]</span>
    ),
  pre: ({ node, children }) => <CodeBlock node={node as TNode | undefined}>{children}</CodeBlock>,
  code: ({ className, children }) => <code className={`rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-zinc-800${className ? ` ${className}` : ""}`}>{children}</code>,
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th style={style} className="border border-zinc-200 bg-zinc-50 px-2 py-1 text-left font-semibold dark:border-zinc-700 dark:bg-zinc-800/60">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border border-zinc-200 px-2 py-1 align-top dark:border-zinc-700">
      {children}
    </td>
  ),
  ul: ({ children, className }) => <ul className={`list-disc pl-6 [&.contains-task-list]:list-none [&.contains-task-list]:pl-1${className ? ` ${className}` : ""}`}>{children}</ul>,
  ol: ({ children, start }) => (
    <ol start={start} className="list-decimal pl-6">
      {children}
    </ol>
  ),
  li: ({ children }) => <li className="my-0.5 [&>p]:my-0">{children}</li>,
  blockquote: ({ children }) => <blockquote className="border-l-4 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">{children}</blockquote>,
  h1: ({ children }) => <h3 className="text-lg font-semibold">{children}</h3>,
  h2: ({ children }) => <h4 className="text-base font-semibold">{children}</h4>,
  h3: ({ children }) => <h5 className="text-base font-semibold">{children}</h5>,
  h4: ({ children }) => <h6 className="text-sm font-semibold">{children}</h6>,
  h5: ({ children }) => <h6 className="text-sm font-semibold">{children}</h6>,
  h6: ({ children }) => <h6 className="text-sm font-semibold">{children}</h6>,
  hr: () => <hr className="border-zinc-200 dark:border-zinc-800" />,
};

/** Markdown text, rendered safely (see above). */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-3 leading-relaxed break-words">
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={REHYPE_PLUGINS} components={COMPONENTS}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
