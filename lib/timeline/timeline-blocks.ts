import type { TAgentContent, TToolResultContent, TUserContent } from "@/lib/event-log/content";

/**
 * Content as the timeline shows it: text is kept; images, documents and search results become
 * labelled blocks. Binary data and URLs are left out on purpose — a viewer's browser never loads
 * anything a message points at.
 */
export type TTimelineBlock =
  | { type: "text"; text: string }
  | { type: "image"; label: string }
  | { type: "document"; title: string | null; text: string | null }
  | { type: "search_result"; title: string; text: string }
  | { type: "redacted" };

type TAnyContent = TUserContent | TAgentContent | TToolResultContent;

export function toTimelineBlocks(content: TAnyContent | undefined): TTimelineBlock[] {
  if (!content) return [];
  return content.map((block): TTimelineBlock => {
    switch (block.type) {
      case "text":
        return { type: "text", text: block.text };
      case "image":
        return { type: "image", label: block.source.type === "base64" ? `Image (${block.source.media_type})` : "Image" };
      case "document":
        return { type: "document", title: block.title ?? null, text: block.source.type === "text" ? block.source.data : null };
      case "search_result":
        return { type: "search_result", title: block.title, text: block.content.map((c) => c.text).join("\n") };
      case "redacted":
        return { type: "redacted" };
    }
  });
}

/** The blocks as plain text, one block per paragraph (for search, copying and result previews). */
export function blocksText(blocks: readonly TTimelineBlock[]): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case "text":
          return block.text;
        case "image":
          return `[${block.label}]`;
        case "document":
          return block.text ?? `[Document${block.title ? `: ${block.title}` : ""}]`;
        case "search_result":
          return `${block.title}\n${block.text}`;
        case "redacted":
          return "[redacted]";
      }
    })
    .join("\n\n");
}
