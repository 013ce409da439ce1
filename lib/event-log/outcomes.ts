import type { TEventOf, TOutcomeResult, TStoredEvent } from "./events";

/**
 * The session's outcomes, a fold of the log: each `user.define_outcome` and the evaluation cycles
 * (`span.outcome_evaluation_start` … `_end`) graded against it. One pure function for the harness
 * (what to do next), the API (`Session.outcome_evaluations`) and the web app (the outcome card).
 *
 * Decisions:
 * - one outcome is worked on at a time: a new `user.define_outcome` supersedes one still unfinished,
 *   which reads `interrupted` from then on (no event is written for it);
 * - a `user.interrupt` ends the outcome being worked on as `interrupted` too: the harness closes an
 *   evaluation in progress with a `span.outcome_evaluation_end` (`interrupted`); an outcome whose
 *   agent was still working reads `interrupted` from the interrupt on.
 */
export type TOutcomeStatus = "pending" | "running" | "evaluating" | TOutcomeResult;

export type TOutcomeEvaluationView = {
  startId: string;
  startSeq: number;
  iteration: number;
  startedAt: string | null;
  /** Null while the grader works (or when its harness died before it answered). */
  end: { result: TOutcomeResult; explanation: string; seq: number; endedAt: string | null } | null;
};

export type TOutcomeView = {
  outcomeId: string;
  eventId: string;
  definedSeq: number;
  description: string;
  rubric: string;
  maxIterations: number;
  evaluations: TOutcomeEvaluationView[];
  status: TOutcomeStatus;
  /** When it reached a terminal result. */
  completedAt: string | null;
};

const TERMINAL = new Set<TOutcomeStatus>(["satisfied", "max_iterations_reached", "failed", "interrupted"]);

export function isTerminalOutcome(status: TOutcomeStatus): boolean {
  return TERMINAL.has(status);
}

type TOutcomeEvent = Pick<TStoredEvent, "id" | "seq" | "body" | "processedAt">;

export function foldOutcomes(events: readonly TOutcomeEvent[]): TOutcomeView[] {
  const outcomes: TOutcomeView[] = [];
  const byId = new Map<string, TOutcomeView>();
  const current = () => {
    const last = outcomes.at(-1);
    return last && !isTerminalOutcome(last.status) ? last : undefined;
  };
  for (const event of events) {
    const body = event.body;
    switch (body.type) {
      case "user.define_outcome": {
        const open = current();
        if (open) end(open, "interrupted", event.processedAt);
        const outcome = defined(event, body);
        outcomes.push(outcome);
        byId.set(outcome.outcomeId, outcome);
        break;
      }
      case "user.interrupt": {
        const open = current();
        // the harness closes an evaluation in progress itself (its `_end` says `interrupted`)
        if (open && (body.session_thread_id === undefined) && open.status !== "evaluating") end(open, "interrupted", event.processedAt);
        break;
      }
      case "span.model_request_start": {
        const open = current();
        if (open && open.status === "pending" && (body.session_thread_id === undefined)) open.status = "running";
        break;
      }
      case "span.outcome_evaluation_start": {
        const outcome = byId.get(body.outcome_id);
        if (!outcome || isTerminalOutcome(outcome.status)) break;
        outcome.evaluations.push({ startId: event.id, startSeq: event.seq, iteration: body.iteration, startedAt: event.processedAt, end: null });
        outcome.status = "evaluating";
        break;
      }
      case "span.outcome_evaluation_end": {
        const outcome = byId.get(body.outcome_id);
        const evaluation = outcome?.evaluations.find((e) => e.startId === body.outcome_evaluation_start_id);
        if (!outcome || !evaluation || evaluation.end) break;
        evaluation.end = { result: body.result, explanation: body.explanation, seq: event.seq, endedAt: event.processedAt };
        if (isTerminalOutcome(outcome.status)) break;
        if (body.result === "needs_revision") outcome.status = "running";
        else end(outcome, body.result, event.processedAt);
        break;
      }
      default:
        break;
    }
  }
  return outcomes;
}

function defined(event: TOutcomeEvent, body: TEventOf<"user.define_outcome">): TOutcomeView {
  return {
    outcomeId: body.outcome_id,
    eventId: event.id,
    definedSeq: event.seq,
    description: body.description,
    rubric: body.rubric.content,
    maxIterations: body.max_iterations,
    evaluations: [],
    status: "pending",
    completedAt: null,
  };
}

function end(outcome: TOutcomeView, result: TOutcomeResult, at: string | null): void {
  outcome.status = result;
  outcome.completedAt = at;
}

/** The outcome being worked on (defined, not finished), if any. */
export function activeOutcome(outcomes: readonly TOutcomeView[]): TOutcomeView | null {
  const last = outcomes.at(-1);
  return last && !isTerminalOutcome(last.status) ? last : null;
}

/** An evaluation that started and has no end: the grader is at work, or its harness died. */
export function openEvaluation(outcome: TOutcomeView): TOutcomeEvaluationView | null {
  const last = outcome.evaluations.at(-1);
  return last && last.end === null ? last : null;
}

/** The event types the fold reads: a targeted query needs no others. */
export const OUTCOME_EVENT_TYPES = [
  "user.define_outcome",
  "user.interrupt",
  "span.model_request_start",
  "span.outcome_evaluation_start",
  "span.outcome_evaluation_end",
] as const;

/** `Session.outcome_evaluations` (reference §2.4): one entry per outcome, in the order defined. */
export function outcomeEvaluationsToWire(outcomes: readonly TOutcomeView[]) {
  return outcomes.map((outcome) => {
    const last = outcome.evaluations.at(-1);
    const lastEnded = [...outcome.evaluations].reverse().find((e) => e.end !== null);
    return {
      type: "outcome_evaluation" as const,
      outcome_id: outcome.outcomeId,
      description: outcome.description,
      iteration: outcome.status === "running" && last?.end ? last.iteration + 1 : (last?.iteration ?? 0),
      result: outcome.status,
      explanation: lastEnded?.end?.explanation ?? null,
      completed_at: outcome.completedAt,
    };
  });
}
