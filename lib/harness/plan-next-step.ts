import "server-only";
import type { TEventBody } from "@/lib/event-log/events";
import { openEvaluation, type TOutcomeEvaluationView, type TOutcomeView } from "@/lib/event-log/outcomes";
import type { TLogView, TToolUseView } from "./read-log";
import { handOf, type TSessionHand } from "./session-hands";

/**
 * The harness's one decision, a pure function of the log: what to do next. `wake` applies it and
 * asks again until the answer is `wait`. Because the decision is recomputed from the log after every
 * step, a harness that takes over from a dead one does exactly what the dead one would have done.
 *
 * Order of precedence:
 * 1. an unanswered `user.interrupt`: close what is open (tool uses get an error result, an open model
 *    request an error end) and go idle with `end_turn`. Messages sent before the interrupt are
 *    dropped with the turn they belonged to; messages sent after it start a new turn;
 * 2. tool uses of the latest model response without a result: run the next runnable one (allowed,
 *    or confirmed by the user), record a denial, or — when only uses waiting for the client remain
 *    (custom tools, confirmations) — go idle with `requires_action` listing them;
 * 3. input the model has not answered yet (a message, or tool results): call the model — unless the
 *    session's budget is reached (`budgetReached`): then go idle with `budget_reached`;
 * 4. an outcome is being worked on (`user.define_outcome`, lib/event-log/outcomes.ts) and the agent
 *    has answered its latest input: grade the work (`evaluate_outcome`, evaluate-outcome.ts). An
 *    evaluation that started and never ended (its harness died) is run again under the same start.
 *    The grader's `needs_revision` (and its `max_iterations_reached`, for one last word) is input
 *    the model answers (3.); `satisfied`, `failed` and `interrupted` let the turn end (5.). With the
 *    budget reached, the grader is not called: the session goes idle with `budget_reached`;
 * 5. otherwise the turn is over: go idle with `end_turn` (once).
 *
 * A built-in use routed to a self-hosted environment (`hands`, session-hands.ts) is not run by the
 * harness: an allowed (or confirmed) one waits for that environment's workers like a custom tool
 * waits for the client, answered by their `user.tool_result`; a decision to wait on such calls says
 * `requestsWorkers` (their environments), so the wake that ends there makes sure a work item is
 * queued in each.
 *
 * MCP tool uses (`agent.mcp_tool_use`) follow the same rules as built-in ones (permission,
 * confirmation, interrupt) and are answered with `agent.mcp_tool_result`. Decision: an MCP call that
 * was started by a harness that died (a `span.tool_execution_start` without result) is never
 * called again: the server's tools may have side effects, and their idempotency hints are the
 * server's claims, not ours. The model is told it was interrupted.
 */
export type TStep =
  | { type: "wait"; requestsWorkers?: string[] }
  | { type: "append"; events: TEventBody[] }
  /** `before`: events appended with the request's start (e.g. `session.status_running`), in one write. */
  | { type: "call_model"; before: TEventBody[] }
  | { type: "run_tool"; toolUse: TToolUseView }
  | { type: "run_mcp_tool"; toolUse: TToolUseView }
  /** A coordinator tool (coordinator-tools.ts): answered by the multi-thread wake (wake-threads.ts). */
  | { type: "run_thread_tool"; toolUse: TToolUseView }
  | { type: "consult_advisor"; toolUse: TToolUseView }
  | { type: "report_interrupted_tool"; toolUse: TToolUseView }
  /** `evaluation`: one that started and never ended, to run again under the same start; null: a new one. */
  | { type: "evaluate_outcome"; outcome: TOutcomeView; evaluation: TOutcomeEvaluationView | null }
  /** The context nears the model's window: summarise it (compact-context.ts) before the next model call. */
  | { type: "compact_context"; before: TEventBody[] };

export const MAX_MODEL_REQUESTS_PER_TURN = 200;

const text = (value: string) => [{ type: "text" as const, text: value }];

export type TPlanOptions = {
  /**
   * The session's list cost has reached its budget (lib/event-log/usage.ts `budgetReached`): input
   * that needs the model is not answered; the session goes idle with `budget_reached` instead, once
   * per input that arrives while it lasts.
   */
  budgetReached?: boolean;
  /**
   * The session's environments: a built-in call routed to one whose workers answer it (`byWorkers`)
   * waits for them. Absent: the harness runs every built-in call.
   */
  hands?: readonly TSessionHand[];
  /**
   * From this many tokens of context (`TLogView.contextTokens`), the next model call is preceded
   * by a compaction (lib/model/context-window.ts `compactAtTokens`); absent: never.
   */
  compactAtTokens?: number;
};

export function planNextStep(log: TLogView, options: TPlanOptions = {}): TStep {
  const running = log.state.status === "running";
  const toRunning: TEventBody[] = running ? [] : [{ type: "session.status_running" }];

  if (log.state.status === "terminated") return { type: "wait" };

  if (log.pendingInterrupt) {
    const closing: TEventBody[] = [];
    for (const use of log.lastResponseToolUses) {
      if (!use.resolved) {
        closing.push(errorResult(use, "Interrupted by the user."));
      }
    }
    if (log.openModelRequest) closing.push(interruptedRequestEnd(log.openModelRequest.id));
    const grading = log.outcome && openEvaluation(log.outcome);
    if (log.outcome && grading) closing.push(interruptedEvaluationEnd(log.outcome, grading));
    closing.push({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
    return { type: "append", events: closing };
  }

  const pending = log.lastResponseToolUses.filter((use) => !use.resolved);
  if (pending.length > 0) {
    const waiting: string[] = [];
    const forWorkers = new Set<string>();
    for (const use of pending) {
      if (use.kind === "custom") {
        waiting.push(use.event.id);
        continue;
      }
      if (use.permission === "deny") {
        return { type: "append", events: [denied(use, "This tool call is not permitted by the agent's policy.")] };
      }
      if (use.permission === "ask" && use.confirmation === null) {
        waiting.push(use.event.id);
        continue;
      }
      if (use.confirmation?.result === "deny") {
        return { type: "append", events: [...toRunning, denied(use, use.confirmation.denyMessage ?? "The user denied this tool call.")] };
      }
      const hand = use.kind === "builtin" && options.hands ? handOf(options.hands, use) : undefined;
      if (hand?.byWorkers) {
        waiting.push(use.event.id);
        forWorkers.add(hand.id);
        continue;
      }
      if (!running) return { type: "append", events: toRunning };
      if (use.kind === "thread") return { type: "run_thread_tool", toolUse: use };
      if (use.kind === "advisor") {
        // the advisor's call costs like the agent's: not made once the budget is reached
        if (options.budgetReached) return { type: "append", events: [errorResult(use, "The session's budget is reached: the advisor was not consulted.")] };
        return { type: "consult_advisor", toolUse: use };
      }
      if (use.kind === "mcp") {
        return use.started ? { type: "append", events: [errorResult(use, interruptedMcpCall(use))] } : { type: "run_mcp_tool", toolUse: use };
      }
      return use.started ? { type: "report_interrupted_tool", toolUse: use } : { type: "run_tool", toolUse: use };
    }
    const alreadyWaiting =
      log.state.status === "idle" &&
      log.state.stopReason?.type === "requires_action" &&
      sameIds(log.state.stopReason.event_ids, waiting);
    if (alreadyWaiting) return forWorkers.size > 0 ? { type: "wait", requestsWorkers: [...forWorkers] } : { type: "wait" };
    return { type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: waiting }, stop_details: null }] };
  }

  const unanswered = log.lastInputSeq > Math.max(log.lastEndedRequestStartSeq, log.interruptHandledSeq);
  if (unanswered) {
    if (options.budgetReached) {
      const told = log.state.status === "idle" && log.state.stopReason?.type === "budget_reached" && log.lastIdleSeq > log.lastInputSeq;
      if (told) return { type: "wait" };
      return { type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "budget_reached" }, stop_details: null }] };
    }
    if (log.requestsThisTurn >= MAX_MODEL_REQUESTS_PER_TURN) {
      return {
        type: "append",
        events: [
          {
            type: "session.error",
            error: {
              type: "tool_use_limit_reached_error",
              message: `The turn made ${MAX_MODEL_REQUESTS_PER_TURN} model requests without finishing; it was stopped.`,
              retry_status: { type: "exhausted" },
            },
          },
          { type: "session.status_idle", stop_reason: { type: "retries_exhausted" }, stop_details: null },
        ],
      };
    }
    if (options.compactAtTokens !== undefined && log.contextTokens >= options.compactAtTokens) return { type: "compact_context", before: toRunning };
    return { type: "call_model", before: toRunning };
  }

  if (running && log.outcome) {
    if (options.budgetReached) return { type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "budget_reached" }, stop_details: null }] };
    return { type: "evaluate_outcome", outcome: log.outcome, evaluation: openEvaluation(log.outcome) };
  }
  if (running) return { type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null }] };
  return { type: "wait" };
}

function interruptedEvaluationEnd(outcome: TOutcomeView, evaluation: TOutcomeEvaluationView): TEventBody {
  return {
    type: "span.outcome_evaluation_end",
    outcome_evaluation_start_id: evaluation.startId,
    outcome_id: outcome.outcomeId,
    iteration: evaluation.iteration,
    result: "interrupted",
    explanation: "The evaluation was interrupted by the user.",
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  };
}

function denied(use: TToolUseView, message: string): TEventBody {
  return errorResult(use, message);
}

/** The error result of a tool use, in the event type that answers it. */
function errorResult(use: TToolUseView, message: string): TEventBody {
  if (use.kind === "mcp") return { type: "agent.mcp_tool_result", mcp_tool_use_id: use.event.id, is_error: true, content: text(message) };
  return { type: "agent.tool_result", tool_use_id: use.event.id, is_error: true, content: text(message) };
}

function interruptedMcpCall(use: TToolUseView): string {
  return (
    `The call of ${use.name} on MCP server "${use.mcpServerName}" was interrupted: the worker running it stopped before its result ` +
    "was recorded. It was not called again because it may have side effects; check whether it took effect before retrying it."
  );
}

export function interruptedRequestEnd(startId: string): TEventBody {
  return {
    type: "span.model_request_end",
    model_request_start_id: startId,
    is_error: true,
    model_usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
