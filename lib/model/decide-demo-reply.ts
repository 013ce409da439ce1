import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import type { TModelContentBlock, TModelRequest } from "./types";

/**
 * What the built-in demo model answers: a pure function of the request, so the same conversation
 * always gets the same reply. It is no language model; it recognises three things:
 * - tool results: it reports the first lines of what the tool returned, and ends its turn;
 * - a shell command (`in backticks`, or after "run " / "$ "), when a `bash` tool is offered;
 * - "write / create a file NAME with content …", when a `write` tool is offered;
 * - a grader's request (a `submit_verdict` tool is offered: lib/harness/build-grader-request.ts):
 *   it accepts the work as `satisfied`, saying it did not judge it.
 * Anything else gets a friendly explanation of what it is and how to configure a real model.
 */

const ECHO_LIMIT = 200;
const RESULT_LINES = 10;
const RESULT_CHARS = 1_000;

function blocksOf(message: MessageParam | undefined): ContentBlockParam[] {
  if (!message) return [];
  return typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
}

function textOf(blocks: ContentBlockParam[]): string {
  return blocks
    .map((block) => (block.type === "text" ? block.text : ""))
    .join("\n")
    .trim();
}

function toolResultText(block: ToolResultBlockParam): string {
  if (typeof block.content === "string") return block.content;
  return (block.content ?? []).map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
}

function firstLines(text: string): string {
  const lines = text.trimEnd().split("\n");
  let shown = lines.slice(0, RESULT_LINES).join("\n");
  if (shown.length > RESULT_CHARS) shown = `${shown.slice(0, RESULT_CHARS)}…`;
  const hidden = lines.length - RESULT_LINES;
  return hidden > 0 ? `${shown}\n… (${hidden} more line${hidden === 1 ? "" : "s"})` : shown;
}

function toolNameFor(request: TModelRequest, toolUseId: string): string | undefined {
  for (const message of request.messages) {
    if (message.role !== "assistant") continue;
    for (const block of blocksOf(message)) {
      if (block.type === "tool_use" && block.id === toolUseId) return block.name;
    }
  }
  return undefined;
}

function summariseResult(request: TModelRequest, block: ToolResultBlockParam): string {
  const name = toolNameFor(request, block.tool_use_id);
  const output = toolResultText(block).trim();
  const shown = output ? `\n\n${firstLines(output)}` : " (no output)";
  if (name === "bash" || name === undefined) {
    return block.is_error ? `The command failed:${shown}` : `The command printed:${shown}`;
  }
  return block.is_error ? `The ${name} tool reported an error:${shown}` : `The ${name} tool returned:${shown}`;
}

/** Numbered after the tool calls already in the conversation, so ids never repeat within it. */
function nextToolUseId(request: TModelRequest): string {
  const used = request.messages
    .filter((message) => message.role === "assistant")
    .flatMap(blocksOf)
    .filter((block) => block.type === "tool_use").length;
  return `toolu_demo_${used + 1}`;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^(["'`])([\s\S]*)\1$/.exec(trimmed);
  return quoted ? quoted[2]! : trimmed;
}

/** `create a file notes.txt with content "hello"` → { file_path: "notes.txt", content: "hello" }. */
export function findFileToWrite(text: string): { file_path: string; content: string } | undefined {
  const match =
    /\b(?:write|create)\b[^\n]*?\bfile\s+(?:(?:called|named)\s+)?["'`]?([\w./-]+?)["'`]?\s+(?:with|containing)\b\s*(?:the\s+)?(?:(?:content|contents|text)\b)?\s*:?\s*([\s\S]+)$/i.exec(
      text,
    );
  if (!match) return undefined;
  return { file_path: match[1]!, content: unquote(match[2]!) };
}

/** A shell command: a fenced or inline code span, or the text after a leading "run " or "$ ". */
export function findShellCommand(text: string): string | undefined {
  const fenced = /```[\w-]*\n([\s\S]*?)```/.exec(text);
  if (fenced?.[1]?.trim()) return fenced[1].trim();
  const inline = /`([^`\n]+)`/.exec(text);
  if (inline?.[1]?.trim()) return inline[1].trim();
  const prefixed = /^\s*(?:run\s+|\$\s+)([\s\S]+)$/i.exec(text);
  return prefixed?.[1]?.trim() || undefined;
}

function introduction(said: string, offers: (name: string) => boolean): string {
  const echoed = said.length > ECHO_LIMIT ? `${said.slice(0, ECHO_LIMIT)}…` : said;
  const tries = [
    offers("bash") ? "- `run ls -la` (or any command in backticks) runs it in the sandbox with the bash tool;" : "",
    offers("write") ? "- `create a file hello.txt with content Hello!` writes a file in the sandbox." : "",
  ].filter(Boolean);
  return [
    "Hello! I am the built-in demo model: no ANTHROPIC_API_KEY is configured, so no real model is answering. " +
      "I can only do a few scripted things.",
    echoed ? `You said: "${echoed}"` : "Your message had no text.",
    ...(tries.length > 0 ? [`Things I can do:\n${tries.join("\n")}`] : []),
    "To talk to Claude, set ANTHROPIC_API_KEY (and, for another compatible server, ANTHROPIC_BASE_URL) " +
      "in the server's environment and restart it.",
  ].join("\n\n");
}

export function decideDemoReply(request: TModelRequest): TModelContentBlock[] {
  if ((request.tools ?? []).some((tool) => tool.name === "submit_verdict")) {
    const explanation = "The built-in demo model does not judge work against a rubric: it accepts the work as it is. Configure a real model to grade outcomes.";
    return [{ type: "tool_use", id: nextToolUseId(request), name: "submit_verdict", input: { result: "satisfied", explanation } }];
  }
  const lastUser = [...request.messages].reverse().find((message) => message.role === "user");
  const blocks = blocksOf(lastUser);
  const results = blocks.filter((block): block is ToolResultBlockParam => block.type === "tool_result");
  if (results.length > 0) {
    return [{ type: "text", text: results.map((block) => summariseResult(request, block)).join("\n\n") }];
  }

  const said = textOf(blocks);
  const offers = (name: string) => (request.tools ?? []).some((tool) => tool.name === name);
  const file = offers("write") ? findFileToWrite(said) : undefined;
  if (file) {
    return [
      { type: "text", text: `I'll write ${file.file_path}.` },
      { type: "tool_use", id: nextToolUseId(request), name: "write", input: file },
    ];
  }
  const command = offers("bash") ? findShellCommand(said) : undefined;
  if (command) {
    return [
      { type: "text", text: `I'll run \`${command}\` in the sandbox.` },
      { type: "tool_use", id: nextToolUseId(request), name: "bash", input: { command } },
    ];
  }
  return [{ type: "text", text: introduction(said, offers) }];
}
