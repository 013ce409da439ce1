import "server-only";
import { listCostNanoUsd } from "@/lib/model/prices";
import { isAbortError, type TModelResponse, type TModelUsage } from "@/lib/model/types";
import { asModelError, retryDelayMs } from "./model-retry";
import type { TEventBody, TOutcomeResult } from "@/lib/event-log/events";
import type { TOutcomeEvaluationView, TOutcomeView } from "@/lib/event-log/outcomes";
import { buildGraderRequest, parseVerdict } from "./build-grader-request";
import { watchForInterrupt } from "./watch-for-interrupt";
import { DEFAULT_MODEL_RETRY, sleep, plannedAtSeq, type TWakeContext } from "./wake-context";

/** How often `span.outcome_evaluation_ongoing` says the grader is still at work (ms). */
export const OUTCOME_HEARTBEAT_MS = 15_000;

const NO_USAGE: TModelUsage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

/**
 * One evaluation cycle of an outcome (the planner's `evaluate_outcome`): `span.outcome_evaluation_start`
 * (unless `evaluation` is one a dead harness started: then it is run again under that start), the
 * grader's model call (build-grader-request.ts) with a heartbeat while it runs, then
 * `span.outcome_evaluation_end` with the verdict, its explanation and the grader's usage.
 *
 * A `needs_revision` on the last iteration the outcome allows is recorded as `max_iterations_reached`.
 * A grader that cannot be reached (after the retries a model call gets) or gives no verdict ends the
 * outcome `failed`, saying why. An interrupt aborts the call; the planner then ends the evaluation
 * `interrupted`.
 */
export async function evaluateOutcome(ctx: TWakeContext, outcome: TOutcomeView, evaluation: TOutcomeEvaluationView | null): Promise<void> {
  const iteration = evaluation?.iteration ?? outcome.evaluations.length;
  const knownSeq = plannedAtSeq(ctx);
  const started = evaluation ? [] : await ctx.append([{ type: "span.outcome_evaluation_start", outcome_id: outcome.outcomeId, iteration }]);
  const startId = evaluation ? evaluation.startId : started.at(-1)!.id;
  const request = buildGraderRequest(ctx.events, outcome, ctx.agent.model);
  const watch = watchForInterrupt(ctx, knownSeq, started);
  const controller = new AbortController();
  const abort = () => controller.abort();
  void watch.interrupted.then(abort);
  ctx.signal.addEventListener("abort", abort, { once: true });
  const heartbeat = setInterval(() => {
    ctx.append([{ type: "span.outcome_evaluation_ongoing", outcome_id: outcome.outcomeId, iteration }]).catch(() => {});
  }, OUTCOME_HEARTBEAT_MS);
  const retry = ctx.deps.modelRetry ?? DEFAULT_MODEL_RETRY;
  const end = (result: TOutcomeResult, explanation: string, response?: TModelResponse): TEventBody => {
    const model = response?.model || request.model;
    const usage = response?.usage ?? NO_USAGE;
    return {
      type: "span.outcome_evaluation_end",
      outcome_evaluation_start_id: startId,
      outcome_id: outcome.outcomeId,
      iteration,
      result,
      explanation,
      usage,
      ...(response ? { model, list_cost_nano_usd: listCostNanoUsd(model, usage) } : {}),
    };
  };

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await ctx.deps.model.stream(request, { signal: controller.signal });
        const verdict = parseVerdict(response.content);
        if (!verdict) {
          await ctx.append([end("failed", "The grader gave no verdict (neither a submit_verdict call nor a JSON verdict).", response)], { endsStep: true });
          return;
        }
        const lastIteration = iteration + 1 >= outcome.maxIterations;
        const result = verdict.result === "needs_revision" && lastIteration ? "max_iterations_reached" : verdict.result;
        await ctx.append([end(result, verdict.explanation, response)], { endsStep: true });
        return;
      } catch (error) {
        if (watch.isInterrupted() || ctx.signal.aborted || isAbortError(error)) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
          return;
        }
        const failure = asModelError(error, "The grader's request failed.");
        ctx.deps.log?.warn("grader request failed", { sessionId: ctx.sessionId, kind: failure.kind, attempt, retryable: failure.retryable });
        if (failure.retryable && attempt < retry.attempts) {
          await sleep(retryDelayMs(retry, attempt, failure), controller.signal);
          if (ctx.signal.aborted) throw ctx.signal.reason;
          if (controller.signal.aborted) return; // interrupted while waiting to retry
          continue;
        }
        await ctx.append([end("failed", `The grader could not be run: ${failure.message}`)], { endsStep: true });
        return;
      }
    }
  } finally {
    clearInterval(heartbeat);
    watch.stop();
    ctx.signal.removeEventListener("abort", abort);
  }
}
