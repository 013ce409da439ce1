import "server-only";
import type { ContentBlockParam, MessageParam, TextBlockParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import type { TModelRequest } from "@/lib/model/types";
import type { TEventOf, TStoredEvent } from "@/lib/event-log/events";
import type { TMcpModelTool } from "@/lib/mcp/session-mcp-clients";
import { mcpModelToolName } from "@/lib/mcp/tool-names";
import { DEFAULT_MAX_TOKENS, ownToolNames, type TAgentConfig } from "./agent-config";
import { coordinatorToolDefinitions } from "./coordinator-tools";
import { ADVISOR_TOOL } from "./advisor-tool";
import { answeredToolUseId } from "./read-log";

/**
 * Rebuilds the model's context from the log alone. Context management lives here, and only here:
 * - tool output longer than `maxToolResultChars` is cut to its head and tail for the model (the log
 *   keeps all of it);
 * - prompt caching: breakpoints on the stable prefix (the system prompt, the tool list) and on the
 *   last message, so each request reads the previous one's prefix from the cache;
 * - tool_use ids are the ids of the log's `agent.tool_use` events, so results pair up by id;
 * - a message sent while a model request was streaming sits in the log before that request's
 *   response (the response is appended when it completes): it is placed after the response, which is
 *   when the model can first see it;
 * - MCP tools (`mcpTools`, listed by the wake's MCP connections) follow the agent's own tools, under
 *   their model-facing names (`<server>__<tool>`, see `mcpModelToolName`); an `agent.mcp_tool_use`
 *   is replayed under the same name, paired with its `agent.mcp_tool_result`;
 * - after an `agent.thread_context_compacted` (compact-context.ts), the context is its summary,
 *   then the log from the last model request before it on (that request's answer and what came
 *   after, verbatim, so tool results still follow their tool uses); what is older is in the log
 *   only.
 */
export const MAX_TOOL_RESULT_CHARS = 30_000;

const EPHEMERAL = { type: "ephemeral" } as const;

export function buildModelRequest(
  events: readonly TStoredEvent[],
  agent: TAgentConfig,
  options: { maxToolResultChars?: number; mcpTools?: readonly TMcpModelTool[] } = {},
): TModelRequest {
  const limit = options.maxToolResultChars ?? MAX_TOOL_RESULT_CHARS;
  const reserved = ownToolNames(agent);
  const messages: MessageParam[] = [];
  const push = (role: "user" | "assistant", blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) (last.content as ContentBlockParam[]).push(...blocks);
    else messages.push({ role, content: [...blocks] });
  };

  let openRequest: string | null = null;
  let heldBack: ContentBlockParam[] = [];
  const pushInput = (blocks: ContentBlockParam[]) => (openRequest === null ? push("user", blocks) : heldBack.push(...blocks));

  const compacted = lastCompaction(events);
  if (compacted) push("user", [{ type: "text", text: `${SUMMARY_PREFIX}\n\n${compacted.summary}` }]);
  for (const event of compacted ? events.slice(compacted.from) : events) {
    const body = event.body;
    switch (body.type) {
      case "span.model_request_start":
        // a request still open here was cut off (its harness died); this one was issued with
        // everything before it, so what was held back belongs before it
        push("user", heldBack);
        heldBack = [];
        openRequest = event.id;
        break;
      case "span.model_request_end":
        if (body.model_request_start_id === openRequest) {
          openRequest = null;
          push("user", heldBack);
          heldBack = [];
        }
        break;
      case "user.message":
        pushInput(body.content.flatMap(userBlock));
        break;
      case "agent.thread_message_received":
        // the coordinator's thread: a thread's reply (a child's view reads its messages as user.message)
        pushInput([{ type: "text", text: `[message from thread ${body.from_session_thread_id}${body.from_agent_name ? ` (${body.from_agent_name})` : ""}]` }, ...body.content.flatMap(userBlock)]);
        break;
      case "system.message":
        pushInput(body.content.map((b) => ({ type: "text" as const, text: `[system] ${b.text}` })));
        break;
      case "user.define_outcome":
        pushInput([{ type: "text", text: outcomeTask(body) }]);
        break;
      case "span.outcome_evaluation_end": {
        const feedback = graderFeedback(body);
        if (feedback) pushInput([{ type: "text", text: feedback }]);
        break;
      }
      case "agent.message":
        push("assistant", body.content.flatMap((b) => (b.type === "text" && b.text !== "" ? [{ type: "text" as const, text: b.text }] : [])));
        break;
      case "agent.tool_use":
      case "agent.custom_tool_use":
        push("assistant", [{ type: "tool_use", id: event.id, name: body.name, input: body.input }]);
        break;
      case "agent.mcp_tool_use":
        push("assistant", [{ type: "tool_use", id: event.id, name: mcpModelToolName(body.mcp_server_name, body.name, reserved), input: body.input }]);
        break;
      case "agent.tool_result":
      case "user.tool_result": // a self-hosted environment's worker ran the built-in tool
      case "agent.mcp_tool_result":
      case "user.custom_tool_result": {
        const toolUseId = answeredToolUseId(body);
        const content = (body.content ?? []).flatMap((b) => (b.type === "text" ? [{ type: "text" as const, text: truncate(b.text, limit) }] : []));
        push("user", [{ type: "tool_result", tool_use_id: toolUseId, is_error: body.is_error ?? false, content }]);
        break;
      }
      default:
        break;
    }
  }

  push("user", heldBack); // sent during a request that never ended (its harness died)
  placeToolResultsFirst(messages);
  markLastBlockForCache(messages);

  const tools: Tool[] = [
    ...[...agent.builtinTools.values()].map(({ definition }) => ({ ...definition }) as Tool),
    ...[...agent.customTools.entries()].map(([name, t]) => ({ name, description: t.description, input_schema: t.inputSchema as Tool["input_schema"] })),
    ...(agent.roster ? (coordinatorToolDefinitions(agent.roster, { inlineAgents: agent.inlineAgents }) as Tool[]) : []),
    ...(agent.advisor ? [ADVISOR_TOOL as Tool] : []),
    ...(options.mcpTools ?? []).map((t) => ({ name: t.modelName, description: t.description, input_schema: mcpInputSchema(t.inputSchema) })),
  ];
  if (tools.length > 0) tools[tools.length - 1] = { ...tools[tools.length - 1]!, cache_control: EPHEMERAL };
  const system: TextBlockParam[] | undefined = agent.system ? [{ type: "text", text: agent.system, cache_control: EPHEMERAL }] : undefined;

  return { model: agent.model, system, messages, tools: tools.length > 0 ? tools : undefined, maxTokens: DEFAULT_MAX_TOKENS };
}

/** How the summary of a compacted context opens, as the model reads it. */
export const SUMMARY_PREFIX = "[summary] The earlier part of this conversation was summarised to save room in the context:";

/**
 * The latest compaction with a summary, and where the verbatim part of the log starts: at the last
 * model request that began before it.
 */
function lastCompaction(events: readonly TStoredEvent[]): { summary: string; from: number } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const body = events[i]!.body;
    if (body.type !== "agent.thread_context_compacted" || !body.summary) continue;
    let from = i + 1;
    for (let j = i - 1; j >= 0; j--) {
      if (events[j]!.body.type === "span.model_request_start") {
        from = j;
        break;
      }
    }
    return { summary: body.summary, from };
  }
  return null;
}

/** An outcome, as the agent reads it: the task, and the rubric its work will be graded by. */
function outcomeTask(body: TEventOf<"user.define_outcome">): string {
  return [
    "[outcome] Work on this until it is done. When you end your turn, a separate grader checks your work against the rubric below; " +
      `if it is not met, you get the grader's feedback and revise (at most ${body.max_iterations} evaluation${body.max_iterations === 1 ? "" : "s"}).`,
    `Description:\n${body.description}`,
    `Rubric:\n${body.rubric.content}`,
  ].join("\n\n");
}

/** The grader's verdict, as the agent reads it when it has to answer it (read-log.ts: `needs_revision`, `max_iterations_reached`). */
function graderFeedback(body: TEventOf<"span.outcome_evaluation_end">): string | null {
  if (body.result === "needs_revision") {
    return `[grader] Your work does not meet the outcome's rubric yet (evaluation ${body.iteration + 1}). Revise it, then end your turn.\n\n${body.explanation}`;
  }
  if (body.result === "max_iterations_reached") {
    return `[grader] Your work still does not meet the outcome's rubric, and no evaluation is left. Say briefly what remains unmet, then end your turn.\n\n${body.explanation}`;
  }
  return null;
}

/** The Messages API wants an object schema; MCP servers list one, but a missing `type` is tolerated. */
function mcpInputSchema(schema: Record<string, unknown>): Tool["input_schema"] {
  return { ...schema, type: "object" } as Tool["input_schema"];
}

function userBlock(block: { type: string } & Record<string, unknown>): ContentBlockParam[] {
  if (block.type === "text") return [{ type: "text", text: String(block.text) }];
  if (block.type === "image" || block.type === "document") return [block as unknown as ContentBlockParam];
  return [];
}

export function truncate(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const head = Math.floor(limit * 0.6);
  const tail = limit - head;
  const omitted = value.length - head - tail;
  return `${value.slice(0, head)}\n[… ${omitted} characters omitted here; the full output is in the session log …]\n${value.slice(-tail)}`;
}

/** The API wants a user turn's tool_result blocks before any text that was queued next to them. */
function placeToolResultsFirst(messages: MessageParam[]): void {
  for (const message of messages) {
    if (message.role !== "user" || !Array.isArray(message.content)) continue;
    const blocks = message.content;
    const results = blocks.filter((b) => b.type === "tool_result");
    if (results.length === 0) continue;
    message.content = [...results, ...blocks.filter((b) => b.type !== "tool_result")];
  }
}

function markLastBlockForCache(messages: MessageParam[]): void {
  const last = messages.at(-1);
  if (!last || !Array.isArray(last.content) || last.content.length === 0) return;
  const index = last.content.length - 1;
  last.content[index] = { ...last.content[index]!, cache_control: EPHEMERAL } as ContentBlockParam;
}
