import type { TDreamStatus } from "./schemas";

/** Why a dream failed (SDK 1.17 `BetaDreamErrorObject`). */
export type TDreamError = { type: string; message: string };

/**
 * How the dream's session ended, read from its log: the FIRST `session.status_idle` whose stop
 * reason is not `requires_action`, or `session.status_terminated` (read-dream-runs.ts). `error`:
 * the last `session.error` before it, if any.
 */
export type TSessionEnd = { at: Date; stop: "end_turn" | "retries_exhausted" | "budget_reached" | "refusal" | "terminated"; error: TDreamError | null };

/** What a dream's status is a fold of: its row's facts and, once its session exists, how that session ended. */
export type TDreamFacts = {
  failedAt: Date | null;
  error: TDreamError | null;
  canceledAt: Date | null;
  /** Whether the session that runs the dream exists (it is created when a worker starts the job). */
  sessionExists: boolean;
  sessionEnd: TSessionEnd | null;
  /** When the job finished starting (its session existed then); with no session now, the session was deleted. */
  startedAt?: Date | null;
};

export type TDreamState = { status: TDreamStatus; endedAt: Date | null; error: TDreamError | null };

/**
 * The dream's status. Nothing of it is kept in process memory or in a status column: it is decided
 * from three facts that are each written once — the job's own failure to start (`failedAt`), a
 * cancel (`canceledAt`) and the end of the session's log (`sessionEnd`) — and the earliest of them
 * wins. A cancel after the session completed or failed does not change the outcome; a session that
 * ends after a cancel (the interrupt it was sent) leaves the dream `canceled`. A tie goes to the
 * session's end ("unless the dream reached completed or failed first"). A session deleted after the
 * start, with none of them, is `failed` (`session_deleted`). Without any of them: `running`
 * once the session exists, `pending` before. Since every fact is final, so is a final status, and a
 * process crash at any point leaves the facts, from which the next read folds the same answer.
 */
export function foldDreamStatus(facts: TDreamFacts): TDreamState {
  const ends: Array<{ at: Date; rank: number; state: TDreamState }> = [];
  if (facts.sessionEnd) {
    const end = facts.sessionEnd;
    const state: TDreamState =
      end.stop === "end_turn" ? { status: "completed", endedAt: end.at, error: null } : { status: "failed", endedAt: end.at, error: sessionFailure(end) };
    ends.push({ at: end.at, rank: 0, state });
  }
  if (facts.failedAt) ends.push({ at: facts.failedAt, rank: 0, state: { status: "failed", endedAt: facts.failedAt, error: facts.error ?? { type: "internal_error", message: "the dream could not start" } } });
  if (facts.canceledAt) ends.push({ at: facts.canceledAt, rank: 1, state: { status: "canceled", endedAt: facts.canceledAt, error: null } });
  ends.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank);
  if (ends[0]) return ends[0].state;
  if (facts.startedAt && !facts.sessionExists) {
    // its session was deleted, log and all, before it ended: it can no longer complete (when it was
    // deleted is not recorded: the start stands for it)
    return { status: "failed", endedAt: facts.startedAt, error: { type: "session_deleted", message: "the dream's session was deleted" } };
  }
  return { status: facts.sessionExists ? "running" : "pending", endedAt: null, error: null };
}

/** The failure detail of a session that did not end its turn. */
function sessionFailure(end: TSessionEnd): TDreamError {
  if (end.error) return end.error;
  switch (end.stop) {
    case "retries_exhausted":
      return { type: "model_error", message: "the model could not be reached: retries exhausted" };
    case "budget_reached":
      return { type: "budget_reached", message: "the dream's session reached its budget" };
    case "refusal":
      return { type: "refusal", message: "the model refused to continue" };
    default:
      return { type: "internal_error", message: "the dream's session was terminated" };
  }
}

/** Final statuses: once reached, a dream's status does not change again. */
export const isFinalStatus = (status: TDreamStatus) => status === "completed" || status === "failed" || status === "canceled";
