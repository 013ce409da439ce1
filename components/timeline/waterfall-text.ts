import { formatDuration } from "@/lib/timeline/tool-call-view";
import { spanDurationMs, type TWaterfallSpan, type TWaterfallTokens } from "@/lib/timeline/waterfall";
import { formatTokens } from "./format";

/** `1,234 in · 56 out` (and the cache, when used). */
export function describeTokens(tokens: TWaterfallTokens): string {
  const parts = [`${formatTokens(tokens.input)} in`, `${formatTokens(tokens.output)} out`];
  if (tokens.cacheRead > 0) parts.push(`${formatTokens(tokens.cacheRead)} cache read`);
  if (tokens.cacheWrite > 0) parts.push(`${formatTokens(tokens.cacheWrite)} cache write`);
  return parts.join(" · ");
}

/** The span's name: `Model request`, `bash`, `search (MCP: docs)`, `lookup (custom)`. */
export function spanName(span: TWaterfallSpan): string {
  if (span.kind === "model_request") return "Model request";
  if (span.source === "mcp") return `${span.name} (MCP${span.mcpServer ? `: ${span.mcpServer}` : ""})`;
  return span.source === "custom" ? `${span.name} (custom)` : span.name;
}

/** What the span's row says besides its name: how long it took (or what it waits for), its tokens. */
export function spanFacts(span: TWaterfallSpan): string {
  const duration = spanDurationMs(span);
  const parts: string[] = [];
  if (span.kind === "model_request") {
    parts.push(duration === null ? "running" : formatDuration(duration));
    if (span.isError) parts.push("failed");
    if (span.tokens) parts.push(describeTokens(span.tokens));
    return parts.join(" · ");
  }
  switch (span.state) {
    case "denied":
      return "denied: never ran";
    case "awaiting_confirmation":
      return "waiting for approval";
    case "awaiting_client":
      return "waiting for the client's result";
    case "running":
      return "running";
    default:
      parts.push(duration === null ? "done" : formatDuration(duration));
      if (span.state !== "done") parts.push(span.state);
      if (span.runStartMs !== null && span.runStartMs > span.startMs) parts.push(`waited ${formatDuration(span.runStartMs - span.startMs)} for approval`);
      return parts.join(" · ");
  }
}
