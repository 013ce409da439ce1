import "server-only";
import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { listCostNanoUsd } from "@/lib/model/prices";
import { isAbortError, type TModelRequest } from "@/lib/model/types";
import { asModelError, retryDelayMs } from "./model-retry";
import type { TEventBody } from "@/lib/event-log/events";
import { buildModelRequest } from "./build-model-request";
import { DEFAULT_MODEL_RETRY, sleep, type TWakeContext } from "./wake-context";

/** The summary request's own answer may take this many tokens. */
const SUMMARY_MAX_TOKENS = 8_192;

export const COMPACTION_INSTRUCTION =
  "[compaction] The context of this conversation is nearly full. Write a summary of the conversation so far that you " +
  "will continue from in place of it: the task and every instruction you were given (quote them), what has been done " +
  "and found (files, commands, results that matter, with exact names and values), decisions taken and why, and what " +
  "remains to do next. Answer with the summary only, in text: call no tool.";

/**
 * The planner's `compact_context`: the thread's context nears its model's window
 * (lib/model/context-window.ts), so before the next model call the model is asked, in one request
 * with the whole context and an instruction, for a summary of it. The summary is appended as
 * `agent.thread_context_compacted` (with the request's usage and list cost); from then on
 * build-model-request.ts gives the model the summary and the log from the last request on, while the
 * log keeps everything. A request that fails is retried like a model call; when retries run out,
 * the session goes idle (`retries_exhausted`) with the error, as for a model call.
 */
export async function compactContext(ctx: TWakeContext, before: TEventBody[]): Promise<void> {
  if (before.length > 0) await ctx.append(before);
  const mcp = ctx.mcp ? await ctx.mcp.tools(ctx.signal) : { tools: [] };
  const context = buildModelRequest(ctx.events, ctx.agent, { mcpTools: mcp.tools });
  const request: TModelRequest = { ...context, messages: withInstruction(context.messages), maxTokens: SUMMARY_MAX_TOKENS };
  const retry = ctx.deps.modelRetry ?? DEFAULT_MODEL_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await ctx.deps.model.stream(request, { signal: ctx.signal });
      const summary = response.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n").trim();
      const model = response.model || request.model;
      await ctx.append(
        [
          {
            type: "agent.thread_context_compacted",
            summary: summary || "(The model gave no summary of the earlier conversation.)",
            model_usage: response.usage,
            model,
            list_cost_nano_usd: listCostNanoUsd(model, response.usage),
          },
        ],
        { endsStep: true },
      );
      return;
    } catch (error) {
      if (ctx.signal.aborted || isAbortError(error)) throw ctx.signal.reason ?? error;
      const failure = asModelError(error, "The model request failed.");
      ctx.deps.log?.warn("compaction request failed", { sessionId: ctx.sessionId, kind: failure.kind, attempt, retryable: failure.retryable });
      if (failure.retryable && attempt < retry.attempts) {
        await sleep(retryDelayMs(retry, attempt, failure), ctx.signal);
        continue;
      }
      await ctx.append(
        [
          { type: "session.error", error: { type: failure.kind, message: `Compacting the context failed: ${failure.message}`, retry_status: { type: "exhausted" } } },
          { type: "session.status_idle", stop_reason: { type: "retries_exhausted" }, stop_details: null },
        ],
        { endsStep: true },
      );
      return;
    }
  }
}

/** The context, then the instruction, in the last user turn (two user turns in a row are not allowed). */
function withInstruction(messages: MessageParam[]): MessageParam[] {
  const instruction: ContentBlockParam = { type: "text", text: COMPACTION_INSTRUCTION };
  const last = messages.at(-1);
  if (last?.role === "user") {
    const content: ContentBlockParam[] = typeof last.content === "string" ? [{ type: "text", text: last.content }] : [...last.content];
    return [...messages.slice(0, -1), { role: "user", content: [...content, instruction] }];
  }
  return [...messages, { role: "user", content: [instruction] }];
}
