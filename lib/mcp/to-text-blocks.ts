import "server-only";
import type { TMcpCallResult } from "./types";

/**
 * Reduces an MCP tool result's content to text blocks, the form the log's `agent.mcp_tool_result`
 * and the model's `tool_result` carry. Decision: only text reaches the model; other kinds are
 * described in one line (an image or audio clip by its type and size, a resource by its URI) rather
 * than dropped silently. A result with no content but `structuredContent` gives that, as JSON.
 */
type TContentItem = { type: string } & Record<string, unknown>;

/** What one stored result may hold (the log's limits): more blocks are joined, longer text is cut. */
const MAX_BLOCKS = 100;
const MAX_TEXT = 1_000_000;

export function toTextBlocks(result: Record<string, unknown>): TMcpCallResult {
  const items = Array.isArray(result.content) ? (result.content as TContentItem[]) : [];
  const texts = items.map(describe);
  if (texts.length > MAX_BLOCKS) texts.splice(MAX_BLOCKS - 1, texts.length, texts.slice(MAX_BLOCKS - 1).join("\n"));
  const content = texts.map((text) => ({ type: "text" as const, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n[… cut at ${MAX_TEXT} characters]` : text }));
  if (content.length === 0 && result.structuredContent !== undefined) {
    content.push({ type: "text", text: JSON.stringify(result.structuredContent) });
  }
  return { content, isError: result.isError === true };
}

function describe(item: TContentItem): string {
  switch (item.type) {
    case "text":
      return String(item.text ?? "");
    case "image":
    case "audio":
      return `[${item.type} ${String(item.mimeType ?? "")}, ${approximateBytes(item.data)} bytes, not shown]`;
    case "resource_link":
      return `[resource ${String(item.uri ?? "")}${item.name ? ` (${String(item.name)})` : ""}]`;
    case "resource": {
      const resource = (item.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === "string") return resource.text;
      return `[resource ${String(resource.uri ?? "")}, ${approximateBytes(resource.blob)} bytes of ${String(resource.mimeType ?? "binary data")}, not shown]`;
    }
    default:
      return `[${String(item.type)} content, not shown]`;
  }
}

function approximateBytes(base64: unknown): number {
  return typeof base64 === "string" ? Math.floor((base64.length * 3) / 4) : 0;
}
