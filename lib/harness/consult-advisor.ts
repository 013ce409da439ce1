import "server-only";
import { listCostNanoUsd } from "@/lib/model/prices";
import { isAbortError } from "@/lib/model/types";
import { asModelError, retryDelayMs } from "./model-retry";
import type { TEventBody } from "@/lib/event-log/events";
import { buildAdvisorRequest } from "./build-advisor-request";
import type { TToolUseView } from "./read-log";
import { DEFAULT_MODEL_RETRY, sleep, type TWakeContext } from "./wake-context";

/**
 * Answers a `consult_advisor` call (advisor-tool.ts): the advisor's model call, with the retries a
 * model call gets, then one `agent.tool_result` with its advice, carrying the request's usage,
 * model and list cost so that it counts in the session's usage (folds of the log, like the
 * grader's). An agent without an advisor, an empty question or an advisor that cannot be reached
 * get an error result saying so. A harness that dies mid-call leaves the call unanswered: it is
 * made again.
 */
export async function consultAdvisor(ctx: TWakeContext, use: TToolUseView): Promise<void> {
  const answer = (text: string, isError: boolean, extra: Partial<TEventBody> = {}): TEventBody =>
    ({ type: "agent.tool_result", tool_use_id: use.event.id, is_error: isError, content: [{ type: "text", text }], ...extra }) as TEventBody;
  const advisor = ctx.agent.advisor;
  const question = typeof use.input.question === "string" ? use.input.question : "";
  if (!advisor) return void (await ctx.append([answer("This agent has no advisor.", true)], { endsStep: true }));
  if (question.trim() === "") return void (await ctx.append([answer("question: must not be empty.", true)], { endsStep: true }));

  const request = buildAdvisorRequest(
    ctx.events.filter((e) => e.seq < use.event.seq),
    question,
    advisor.model,
  );
  const retry = ctx.deps.modelRetry ?? DEFAULT_MODEL_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await ctx.deps.model.stream(request, { signal: ctx.signal });
      const model = response.model || request.model;
      const advice = response.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n").trim();
      const usage = { model_usage: response.usage, model, list_cost_nano_usd: listCostNanoUsd(model, response.usage) };
      await ctx.append([answer(advice === "" ? "(The advisor gave no advice.)" : advice, false, usage)], { endsStep: true });
      return;
    } catch (error) {
      if (ctx.signal.aborted || isAbortError(error)) throw ctx.signal.reason ?? error;
      const failure = asModelError(error, "The advisor's request failed.");
      ctx.deps.log?.warn("advisor request failed", { sessionId: ctx.sessionId, kind: failure.kind, attempt, retryable: failure.retryable });
      if (failure.retryable && attempt < retry.attempts) {
        await sleep(retryDelayMs(retry, attempt, failure), ctx.signal);
        if (ctx.signal.aborted) throw ctx.signal.reason;
        continue;
      }
      await ctx.append([answer(`The advisor could not be reached: ${failure.message}`, true)], { endsStep: true });
      return;
    }
  }
}
