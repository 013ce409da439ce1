import { Markdown } from "./markdown";

/**
 * A message's text as the timeline, the streaming preview and the replay show it: Markdown,
 * rendered safely (markdown.tsx: raw HTML stays text, the tree is sanitised, links open safely).
 */
export function MessageText({ text }: { text: string }) {
  return <Markdown text={text} />;
}
