import type { TEventActor, TEventBody, TEventOf, TStoredEvent } from "@/lib/event-log/events";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";

/**
 * The log of a fork, planned from the original's events up to and including the cut: a pure
 * function, so the rule is tested without a database (tests/unit/sessions/fork-log.test.ts).
 *
 * 1. The copies, in order, each with a new id (given by `newId`) and the original's content and
 *    times. A reference to an earlier event (a result's `tool_use_id`, a confirmation's, a request
 *    end's `model_request_start_id`, a `requires_action` idle's `event_ids`) is rewritten to that
 *    event's copy, so the fork's log pairs up on its own. Not copied: `span.sandbox_status` (the
 *    fork has no sandbox yet: it gets a fresh one at its first tool call), `session.status_terminated`
 *    and `session.deleted` (the fork is a new, open session), and an earlier `span.fork_origin`.
 *    So the copies keep the original's seq numbers (unless a sandbox status was left out before).
 * 2. `span.fork_origin`: which session and event the fork was cut from, and how many copies come
 *    before it.
 * 3. When the cut lands inside a turn, the events that close it, as an interrupt would close it
 *    (plan-next-step.ts), so that the fork is idle and consistent for the next message:
 *    - a model request with no end gets an error end (no usage): the response stops at the cut;
 *    - every tool use with no result (running, asked, waiting for its client) gets an error result
 *      saying it was not run in the fork, since the model's next request must answer every tool use;
 *    - then `session.status_idle` with `end_turn`, unless the fold of the above is already idle
 *      with nothing closed and nothing asked.
 *    A message the model had not answered at the cut stays in the log, unanswered: the model
 *    reads it together with the next message sent to the fork.
 */

/** A copied event keeps who sent it: the fork is the same team's, so the name still resolves. */
export type TForkedEvent = { id: string; body: TEventBody; processedAt: string | null; createdAt: string; actor?: TEventActor };

export const NOT_RUN_IN_FORK = "Not run: the session was forked from this point before this tool call had a result.";

const NOT_COPIED = new Set<TEventBody["type"]>(["span.sandbox_status", "session.status_terminated", "session.deleted", "span.fork_origin"]);

type TToolUseType = "agent.tool_use" | "agent.mcp_tool_use" | "agent.custom_tool_use";

export function planForkLog(options: {
  source: { sessionId: string; cut: Pick<TStoredEvent, "id" | "seq"> };
  /** The original's events with seq ≤ the cut's, in seq order. */
  events: readonly TStoredEvent[];
  newId: () => string;
  now: string;
}): TForkedEvent[] {
  const ids = new Map<string, string>();
  const copies: TForkedEvent[] = [];
  for (const event of options.events) {
    if (event.seq > options.source.cut.seq || NOT_COPIED.has(event.body.type)) continue;
    const id = options.newId();
    ids.set(event.id, id);
    copies.push({ id, body: remap(event.body, (old) => ids.get(old) ?? old), processedAt: event.processedAt ?? options.now, createdAt: event.createdAt, ...(event.actor ? { actor: event.actor } : {}) });
  }

  const closing = closingEvents(copies);
  const origin: TEventBody = {
    type: "span.fork_origin",
    session_id: options.source.sessionId,
    event_id: options.source.cut.id,
    event_seq: options.source.cut.seq,
    copied_events: copies.length,
  };
  const own = (body: TEventBody): TForkedEvent => ({ id: options.newId(), body, processedAt: options.now, createdAt: options.now });
  return [...copies, own(origin), ...closing.map(own)];
}

/** The events that leave the copied log idle with nothing open (see the rule above). */
export function closingEvents(copies: readonly Pick<TForkedEvent, "id" | "body">[]): TEventBody[] {
  const open = new Map<string, TToolUseType>();
  let openRequest: string | null = null;
  let pendingInterrupt = false;
  for (const { id, body } of copies) {
    switch (body.type) {
      case "agent.tool_use":
      case "agent.mcp_tool_use":
      case "agent.custom_tool_use":
        open.set(id, body.type);
        break;
      case "agent.tool_result":
      case "user.tool_result":
        open.delete(body.tool_use_id);
        break;
      case "agent.mcp_tool_result":
        open.delete(body.mcp_tool_use_id);
        break;
      case "user.custom_tool_result":
        open.delete(body.custom_tool_use_id);
        break;
      case "span.model_request_start":
        openRequest = id;
        break;
      case "span.model_request_end":
        if (body.model_request_start_id === openRequest) openRequest = null;
        break;
      case "user.interrupt":
        pendingInterrupt = true;
        break;
      case "session.status_idle":
        pendingInterrupt = false;
        break;
      default:
        break;
    }
  }

  const closing: TEventBody[] = [];
  if (openRequest !== null) {
    closing.push({
      type: "span.model_request_end",
      model_request_start_id: openRequest,
      is_error: true,
      model_usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  }
  const content = [{ type: "text" as const, text: NOT_RUN_IN_FORK }];
  for (const [id, type] of open) {
    closing.push(
      type === "agent.mcp_tool_use"
        ? { type: "agent.mcp_tool_result", mcp_tool_use_id: id, is_error: true, content }
        : { type: "agent.tool_result", tool_use_id: id, is_error: true, content },
    );
  }
  const state = foldSessionState(INITIAL_SESSION_STATE, copies.map((c, i) => ({ seq: i + 1, body: c.body })));
  const settled = state.status === "idle" && state.stopReason?.type !== "requires_action" && !pendingInterrupt;
  if (closing.length > 0 || !settled) closing.push({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
  return closing;
}

/** `body` with its references to other events passed through `to`. */
function remap(body: TEventBody, to: (id: string) => string): TEventBody {
  switch (body.type) {
    case "agent.tool_result":
    case "user.tool_result":
    case "user.tool_confirmation":
    case "span.tool_execution_start":
      return { ...body, tool_use_id: to(body.tool_use_id) };
    case "agent.mcp_tool_result":
      return { ...body, mcp_tool_use_id: to(body.mcp_tool_use_id) };
    case "user.custom_tool_result":
      return { ...body, custom_tool_use_id: to(body.custom_tool_use_id) };
    case "span.model_request_end":
      return { ...body, model_request_start_id: to(body.model_request_start_id) };
    case "span.outcome_evaluation_end":
      return { ...body, outcome_evaluation_start_id: to(body.outcome_evaluation_start_id) };
    case "session.status_idle":
      return body.stop_reason.type === "requires_action"
        ? { ...body, stop_reason: { ...body.stop_reason, event_ids: body.stop_reason.event_ids.map(to) } }
        : { ...body };
    default:
      return structuredClone(body);
  }
}

export type TForkOrigin = TEventOf<"span.fork_origin">;
