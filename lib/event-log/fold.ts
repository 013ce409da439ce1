import type { TEventBody, TEventOf, TStopReason, TStoredEvent } from "./events";

/**
 * Session state is a fold of the log: `foldSessionState(initial, events)` is the one pure function
 * that the store (for its cached columns), the harness, the API and the UI all use. Folding the whole
 * log from `INITIAL_SESSION_STATE` and folding it in pieces give the same result.
 */
export type TSessionStatus = "idle" | "running" | "rescheduling" | "terminated";

export type TSessionUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** List cost of the requests that recorded one, exact, in nano-dollars (10⁻⁹ USD): see usage.ts. */
  list_cost_nano_usd: number;
  /** Requests with tokens but no list cost (a model without a list price): the list cost is then unknown. */
  unpriced_requests: number;
};

export type TSessionState = {
  status: TSessionStatus;
  /** The stop reason of the latest `session.status_idle`; null while running or never idle. */
  stopReason: TStopReason | null;
  /** Tokens and list cost summed over every `span.model_request_end` of the log (`addModelRequest`). */
  usage: TSessionUsage;
  /** Seq of the last event folded (0 for an empty log). */
  lastSeq: number;
};

export const ZERO_USAGE: TSessionUsage = Object.freeze({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  list_cost_nano_usd: 0,
  unpriced_requests: 0,
});

export const INITIAL_SESSION_STATE: TSessionState = Object.freeze({
  status: "idle",
  stopReason: null,
  usage: ZERO_USAGE,
  lastSeq: 0,
});

function applyEvent(state: TSessionState, body: TEventBody): TSessionState {
  switch (body.type) {
    case "session.status_running":
      return { ...state, status: "running", stopReason: null };
    case "session.status_idle":
      return { ...state, status: "idle", stopReason: body.stop_reason };
    case "session.status_rescheduled":
      return { ...state, status: "rescheduling" };
    case "session.status_terminated":
      return { ...state, status: "terminated" };
    case "span.model_request_end":
      return { ...state, usage: addModelRequest(state.usage, body) };
    default: {
      const side = sideRequestOf(body);
      return side ? { ...state, usage: addModelRequest(state.usage, side) } : state;
    }
  }
}

/** The types of event that can record a model request beside the turns' own (`sideRequestOf`). */
export const SIDE_REQUEST_TYPES = ["span.outcome_evaluation_end", "agent.thread_context_compacted", "agent.tool_result"] as const;

/**
 * The model request an event records beside a turn's own `span.model_request_end`: the grader's
 * (`span.outcome_evaluation_end`), the one that summarised a thread's context, the advisor's (on
 * its tool result); null for any other event. They cost as the agent's requests do: the one list
 * every fold that sums usage or cost reads (the session's, a thread's, the timeline's).
 */
export function sideRequestOf(body: TEventBody): Pick<TEventOf<"span.model_request_end">, "model_usage" | "list_cost_nano_usd"> | null {
  if (body.type === "span.outcome_evaluation_end") return { model_usage: body.usage, list_cost_nano_usd: body.list_cost_nano_usd };
  if ((body.type === "agent.thread_context_compacted" || body.type === "agent.tool_result") && body.model_usage) {
    return { model_usage: body.model_usage, list_cost_nano_usd: body.list_cost_nano_usd };
  }
  return null;
}

/**
 * `usage` plus one model request: its tokens, and the list cost the harness recorded on it
 * (`list_cost_nano_usd`). A request with tokens and no recorded cost (null: a model without a list
 * price; absent: logged before costs were recorded) counts as unpriced. One function for every
 * scope that sums requests: the session here, a thread by its `session_thread_id` alike.
 */
export function addModelRequest(usage: TSessionUsage, end: Pick<TEventOf<"span.model_request_end">, "model_usage" | "list_cost_nano_usd">): TSessionUsage {
  const u = end.model_usage;
  const tokens = u.input_tokens + u.output_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
  const cost = end.list_cost_nano_usd ?? (tokens === 0 ? 0 : null);
  return addUsage(usage, {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    list_cost_nano_usd: cost ?? 0,
    unpriced_requests: cost === null ? 1 : 0,
  });
}

/** Field by field sum; a field a usage lacks (folded before it existed) counts as 0. */
export function addUsage(a: TSessionUsage, b: TSessionUsage): TSessionUsage {
  const sum = {} as TSessionUsage;
  for (const field of Object.keys(ZERO_USAGE) as Array<keyof TSessionUsage>) sum[field] = (a[field] ?? 0) + (b[field] ?? 0);
  return sum;
}

/** Folds events (in seq order) into a state. Terminated is final: later events do not revive it. */
export function foldSessionState(
  state: TSessionState,
  events: ReadonlyArray<Pick<TStoredEvent, "seq" | "body">>,
): TSessionState {
  let next = state;
  for (const event of events) {
    if (next.status !== "terminated") next = applyEvent(next, event.body);
    next = next.lastSeq === event.seq ? next : { ...next, lastSeq: event.seq };
  }
  return next;
}

/**
 * What a batch of events does to whatever state it is folded onto: for a store that folds a batch
 * onto a state it has not read (`PrismaSessionStore` appends in one SQL statement, which applies
 * the delta as `applySessionDelta` does). `applySessionDelta(state, sessionDelta(batch))` equals
 * `foldSessionState(state, batch)` for a batch numbered from `state.lastSeq + 1`
 * (tests/unit/session-delta.test.ts checks it over every status and many batches).
 */
export type TSessionDelta = {
  /** Events in the batch: lastSeq moves on by this many. */
  count: number;
  /** The status the batch leaves a session in, unless it was terminated before; null when no event sets one. */
  status: TSessionStatus | null;
  /** The stop reason it leaves, when an event of the batch sets one (`session.status_running` clears it). */
  stopReason: { value: TStopReason | null } | null;
  /** Usage the batch adds, unless the session was terminated before. */
  usage: TSessionUsage;
};

const UNTOUCHED_STATUS = "(untouched)" as TSessionStatus;
const UNTOUCHED_STOP_REASON = Object.freeze({ type: "(untouched)" }) as unknown as TStopReason;

/**
 * The batch folded by `applyEvent` itself, from a state whose status and stop reason are markers no
 * event writes: what the fold changes shows as a changed marker. Events after a termination in the
 * batch change nothing, as in `foldSessionState`.
 */
export function sessionDelta(bodies: readonly TEventBody[]): TSessionDelta {
  let probe: TSessionState = { status: UNTOUCHED_STATUS, stopReason: UNTOUCHED_STOP_REASON, usage: ZERO_USAGE, lastSeq: 0 };
  for (const body of bodies) {
    if (probe.status === "terminated") break;
    probe = applyEvent(probe, body);
  }
  return {
    count: bodies.length,
    status: probe.status === UNTOUCHED_STATUS ? null : probe.status,
    stopReason: probe.stopReason === UNTOUCHED_STOP_REASON ? null : { value: probe.stopReason },
    usage: probe.usage,
  };
}

/** `state` after a batch whose delta is `delta` (the SQL of `PrismaSessionStore`'s append does the same). */
export function applySessionDelta(state: TSessionState, delta: TSessionDelta): TSessionState {
  const lastSeq = state.lastSeq + delta.count;
  if (state.status === "terminated") return { ...state, lastSeq };
  return {
    status: delta.status ?? state.status,
    stopReason: delta.stopReason ? delta.stopReason.value : state.stopReason,
    usage: addUsage(state.usage, delta.usage),
    lastSeq,
  };
}
