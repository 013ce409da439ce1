import "server-only";
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { TOutcomeView } from "@/lib/event-log/outcomes";
import type { TModelContentBlock, TModelRequest } from "@/lib/model/types";
import { truncate } from "./build-model-request";

/**
 * The grader's request: a separate model call that sees the outcome (description and rubric) and
 * the agent's visible work since the outcome was defined — its messages, tool calls and tool
 * results, the user's messages and earlier verdicts — never its reasoning (thinking is not sent).
 *
 * Decision: the verdict is asked for as a call of one tool, `submit_verdict`, whose input schema
 * names the three verdicts a grader may give; a grader that answers in text instead is read from
 * the last JSON object in it (`parseVerdict`). An answer with neither is no verdict: the outcome
 * ends `failed`, saying so, rather than guessing.
 */
export const VERDICT_TOOL_NAME = "submit_verdict";

export const GRADER_SYSTEM_PROMPT = [
  "You are a grader. You decide whether an agent's work meets the rubric of an outcome.",
  "You see the outcome's description, its rubric and the agent's visible work (its messages, tool calls and tool results); you do not see its reasoning.",
  "Judge only by the rubric and by the evidence in the work: what the agent claims without evidence does not count.",
  `Answer by calling the ${VERDICT_TOOL_NAME} tool once, with:`,
  '- result "satisfied" when every criterion of the rubric is met;',
  '- result "needs_revision" when some criteria are not met and the agent could meet them; the explanation is given to the agent: say precisely which criteria fail and what to change;',
  '- result "failed" when the rubric cannot apply to this work (the task is impossible, or the rubric contradicts the description).',
  'If you cannot call the tool, answer with one JSON object only: {"result": "...", "explanation": "..."}.',
].join("\n");

const VERDICT_TOOL: Tool = {
  name: VERDICT_TOOL_NAME,
  description: "Records the grader's verdict on the agent's work.",
  input_schema: {
    type: "object",
    properties: {
      result: { type: "string", enum: ["satisfied", "needs_revision", "failed"] },
      explanation: { type: "string", description: "Why; for needs_revision, which criteria fail and what to change." },
    },
    required: ["result", "explanation"],
  },
};

/** Per tool input or output, and for the whole transcript (its end is kept: the latest work matters most). */
const ITEM_CHARS = 8_000;
const TRANSCRIPT_CHARS = 150_000;
const GRADER_MAX_TOKENS = 4_096;

export function buildGraderRequest(events: readonly TStoredEvent[], outcome: TOutcomeView, model: string): TModelRequest {
  const work = transcript(events.filter((e) => e.seq > outcome.definedSeq));
  const text = [
    "<outcome_description>",
    outcome.description,
    "</outcome_description>",
    "<rubric>",
    outcome.rubric,
    "</rubric>",
    "<agent_work>",
    work === "" ? "(The agent produced no visible work.)" : clipStart(work, TRANSCRIPT_CHARS),
    "</agent_work>",
  ].join("\n");
  return {
    model,
    system: [{ type: "text", text: GRADER_SYSTEM_PROMPT }],
    messages: [{ role: "user", content: [{ type: "text", text }] }],
    tools: [VERDICT_TOOL],
    maxTokens: GRADER_MAX_TOKENS,
  };
}

export function transcript(events: readonly TStoredEvent[]): string {
  const lines: string[] = [];
  for (const event of events) {
    const body = event.body;
    switch (body.type) {
      case "user.message":
        lines.push(`[user] ${texts(body.content)}`);
        break;
      case "agent.message":
        lines.push(`[agent] ${texts(body.content)}`);
        break;
      case "agent.tool_use":
      case "agent.custom_tool_use":
        lines.push(`[tool call ${event.id}] ${body.name} ${truncate(JSON.stringify(body.input), ITEM_CHARS)}`);
        break;
      case "agent.mcp_tool_use":
        lines.push(`[tool call ${event.id}] ${body.mcp_server_name}/${body.name} ${truncate(JSON.stringify(body.input), ITEM_CHARS)}`);
        break;
      case "agent.tool_result":
      case "user.tool_result":
      case "user.custom_tool_result":
      case "agent.mcp_tool_result": {
        const id = body.type === "agent.mcp_tool_result" ? body.mcp_tool_use_id : body.type === "user.custom_tool_result" ? body.custom_tool_use_id : body.tool_use_id;
        lines.push(`[tool result ${id}${body.is_error ? ", error" : ""}] ${truncate(texts(body.content ?? []), ITEM_CHARS)}`);
        break;
      }
      case "span.outcome_evaluation_end":
        lines.push(`[earlier verdict, iteration ${body.iteration}] ${body.result}: ${body.explanation}`);
        break;
      default:
        break;
    }
  }
  return lines.join("\n");
}

function texts(blocks: ReadonlyArray<{ type: string; text?: unknown }>): string {
  return blocks.map((b) => (b.type === "text" ? String(b.text) : `[${b.type}]`)).join("\n");
}

export function clipStart(value: string, limit: number): string {
  return value.length <= limit ? value : `[… ${value.length - limit} earlier characters omitted …]\n${value.slice(-limit)}`;
}

export type TVerdict = { result: "satisfied" | "needs_revision" | "failed"; explanation: string };

const MAX_JSON_ATTEMPTS = 200;
const VERDICTS = new Set(["satisfied", "needs_revision", "failed"]);

/** The grader's verdict: its `submit_verdict` call, else the last JSON object of its text; null when neither. */
export function parseVerdict(content: readonly TModelContentBlock[]): TVerdict | null {
  for (const block of content) {
    if (block.type === "tool_use" && block.name === VERDICT_TOOL_NAME) {
      const verdict = asVerdict(block.input);
      if (verdict) return verdict;
    }
  }
  const text = content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n");
  // the closing braces from the end, each with the opening braces before it: a bounded search
  let attempts = 0;
  for (let end = text.lastIndexOf("}"); end !== -1 && attempts < MAX_JSON_ATTEMPTS; end = end === 0 ? -1 : text.lastIndexOf("}", end - 1)) {
    for (let start = text.lastIndexOf("{", end); start !== -1 && attempts < MAX_JSON_ATTEMPTS; start = start === 0 ? -1 : text.lastIndexOf("{", start - 1)) {
      attempts++;
      const verdict = asVerdict(tryJson(text.slice(start, end + 1)));
      if (verdict) return verdict;
    }
  }
  return null;
}

function asVerdict(value: unknown): TVerdict | null {
  if (!value || typeof value !== "object") return null;
  const { result, explanation } = value as { result?: unknown; explanation?: unknown };
  if (typeof result !== "string" || !VERDICTS.has(result)) return null;
  return { result: result as TVerdict["result"], explanation: typeof explanation === "string" ? explanation : "" };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
