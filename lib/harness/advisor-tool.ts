import "server-only";
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { ADVISOR_TOOL_NAME } from "./coordinator-tool-names";

/**
 * The advisor (`multiagent_20261001`'s `advisor`): the primary thread's agent may consult another
 * model mid-turn. Decision: the SDK names no tool for it, so ours is `consult_advisor {question}`;
 * its answer is the tool's result. The advisor is a separate model call that sees the question and
 * the conversation's visible content (messages, tool calls and results; never the agent's
 * thinking), like the outcome grader.
 */
export const ADVISOR_TOOL: Tool = {
  name: ADVISOR_TOOL_NAME,
  description: "Ask your advisor, a separate model that sees this conversation (not your reasoning), for advice on a question. Its advice is the result.",
  input_schema: {
    type: "object",
    properties: { question: { type: "string", description: "What you want advice on." } },
    required: ["question"],
  },
};
