import "server-only";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import type { TStep } from "./plan-next-step";

/** The idle reasons a step can close a turn with that name no event (so no id the append has yet to give). */
const CLOSING_REASONS = new Set(["end_turn", "budget_reached"]);

/**
 * The step after an append, when it is the turn's closing `session.status_idle`: what the planner
 * (`plan`) decides on the log as it will be once `bodies` follow `log` (contiguous from seq 1) with
 * nothing in between. Empty when that step is anything else.
 *
 * Decision: a turn's last append (the model's answer, with its request's end) carries the idle that
 * the next step would append, in the same statement, conditioned on nothing else having been
 * appended since the harness last knew the log (`TAppendOptions.ifLastSeq`): one statement fewer per
 * turn. The planner decides it, as it would one step later, from the log as it would then be; when
 * something arrived meanwhile (a message, an interrupt), the condition fails and the step after
 * plans from the log as it is. Only an idle naming no event goes: the events of `bodies` have no
 * ids yet.
 */
export function closingTail(log: readonly TStoredEvent[], bodies: readonly TEventBody[], plan: (log: TStoredEvent[]) => TStep): TEventBody[] {
  const last = log.at(-1);
  if (!last) return [];
  const now = new Date().toISOString();
  const upcoming = bodies.map((body, i): TStoredEvent => ({ id: `upcoming_${i}`, sessionId: last.sessionId, seq: last.seq + 1 + i, processedAt: now, createdAt: now, body }));
  const step = plan([...log, ...upcoming]);
  if (step.type !== "append" || step.events.length !== 1) return [];
  const [idle] = step.events;
  return idle!.type === "session.status_idle" && CLOSING_REASONS.has(idle!.stop_reason.type) ? [idle!] : [];
}
