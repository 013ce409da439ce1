"use client";

import type { TOutcomeStatus } from "@/lib/event-log/outcomes";
import type { TOutcomeItem } from "@/lib/timeline/fold-timeline";
import { SentBy } from "./actor-names";
import { JumpLabel } from "./item-parts";
import { PagedMessage } from "./paged-text";

const LABELS: Record<TOutcomeStatus, string> = {
  pending: "Pending",
  running: "Agent working",
  evaluating: "Grader evaluating…",
  satisfied: "Satisfied",
  needs_revision: "Needs revision",
  max_iterations_reached: "Max iterations reached",
  failed: "Failed",
  interrupted: "Interrupted",
};

function tone(status: TOutcomeStatus): string {
  switch (status) {
    case "satisfied":
      return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300";
    case "needs_revision":
    case "max_iterations_reached":
      return "bg-amber-100 text-amber-800 dark:bg-amber-950/60 dark:text-amber-300";
    case "failed":
    case "interrupted":
      return "bg-red-100 text-red-800 dark:bg-red-950/60 dark:text-red-300";
    default:
      return "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";
  }
}

function Badge({ status, testId }: { status: TOutcomeStatus; testId?: string }) {
  return (
    <span data-testid={testId} data-status={status} className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${tone(status)}`}>
      {LABELS[status]}
    </span>
  );
}

/** An outcome (`user.define_outcome`): its task and rubric, and each evaluation's verdict with the grader's feedback. */
export function OutcomeCard({ item, onJump }: { item: TOutcomeItem; onJump(seq: number): void }) {
  const { outcome } = item;
  return (
    <article aria-label={`Outcome, event ${item.seq}`} data-testid="outcome-card" className="flex flex-col gap-3 rounded-xl border border-violet-300/70 bg-violet-50/60 px-4 py-3 shadow-sm dark:border-violet-900 dark:bg-violet-950/20">
      <header className="flex items-center justify-between gap-2">
        <span className="flex min-w-0 items-center gap-2 text-sm font-semibold">
          Outcome <SentBy actor={item.actor} />
          <Badge status={outcome.status} testId="outcome-status" />
        </span>
        <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
      </header>
      <PagedMessage text={outcome.description} plain />
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Rubric · at most {outcome.maxIterations} evaluation{outcome.maxIterations === 1 ? "" : "s"}</summary>
        <div className="mt-2">
          <PagedMessage text={outcome.rubric} plain />
        </div>
      </details>
      {outcome.evaluations.length > 0 ? (
        <ol aria-label="Evaluations" className="flex flex-col gap-2">
          {outcome.evaluations.map((evaluation) => (
            <li key={evaluation.startId} data-testid="outcome-evaluation" className="flex flex-col gap-1 rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
              <span className="flex items-center gap-2">
                <span className="font-medium">Evaluation {evaluation.iteration + 1}</span>
                <Badge status={evaluation.end?.result ?? "evaluating"} testId="outcome-verdict" />
              </span>
              {evaluation.end?.explanation ? <p className="whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{evaluation.end.explanation}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}
