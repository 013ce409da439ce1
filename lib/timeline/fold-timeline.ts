import type { TEventActor, TEventBody, TEventOf, TStopReason } from "@/lib/event-log/events";
import { foldSessionState, INITIAL_SESSION_STATE, sideRequestOf, type TSessionState, type TSessionStatus } from "@/lib/event-log/fold";
import { applyThreadEvent, initialThreads, type TThreadState } from "@/lib/event-log/threads";
import { budgetOf, type TBudget } from "@/lib/event-log/usage";
import { foldOutcomes, isTerminalOutcome, OUTCOME_EVENT_TYPES, type TOutcomeView } from "@/lib/event-log/outcomes";
import { estimateCostUsd, modelFamily, type TModelFamily, type TTokenUsage } from "./estimate-cost";
import { toTimelineBlocks, type TTimelineBlock } from "./timeline-blocks";

/**
 * The timeline of a session — what the live view and the replay player show — as a pure fold of
 * its log: `foldTimeline(state, events)`. Session status and usage come from `foldSessionState`
 * (the fold the store, the harness and the API use), so every view agrees on them. Folding the log
 * in one go or in pieces gives the same timeline; events at or below the last seq folded are
 * skipped, so a live view may fold overlapping batches. No Node APIs: it runs in the browser too.
 */

/**
 * A wire event with its seq (the Socket.io and replay form), and, in a member's view, who sent a
 * client event (`actor`: lib/realtime/view-events.ts).
 */
export type TTimelineEvent = TEventBody & { id: string; seq: number; processed_at: string | null; actor?: TEventActor };

/** Who sent what opened or answered an item: present only when the log says (a member's view of a client event). */
type TSentBy = { actor?: TEventActor };

type TItemBase = {
  /** Stable React key: the id of the event that opened the item. */
  key: string;
  /** Seq of the event that opened the item. */
  seq: number;
  at: string | null;
  /** The child thread whose event opened the item (its `session_thread_id`); absent for the primary thread's. */
  thread?: string;
};

export type TToolSource = "builtin" | "mcp" | "custom";

export type TToolCallState =
  /** The tool asks first: waiting for a `user.tool_confirmation`. */
  | "awaiting_confirmation"
  /** A custom tool: waiting for the client's `user.custom_tool_result`. */
  | "awaiting_client"
  | "running"
  | "done"
  | "error"
  /**
   * A person interrupted the turn while the call was open (running or waiting), and the harness
   * closed it with an error result (plan-next-step.ts: "Interrupted by the user."). Not the tool's
   * failure, so it is not shown as one.
   */
  | "interrupted"
  /** Not permitted, or a person denied it: it never ran. */
  | "denied";

export type TToolResult = { id: string; seq: number; at: string | null; isError: boolean; blocks: TTimelineBlock[] } & TSentBy;
export type TToolConfirmation = { id: string; seq: number; at: string | null; result: "allow" | "deny"; denyMessage: string | null } & TSentBy;

export type TModelRequestEnd = { id: string; seq: number; at: string | null; isError: boolean; usage: TTokenUsage; costUsd: number | null };

export type TSandboxStatus = TEventOf<"span.sandbox_status">["status"];

/**
 * The session's sandbox as the harness last reported it (`span.sandbox_status`). One timeline row
 * per sandbox: a `provisioning` row becomes `ready` or `failed` in place when that follows it;
 * `replaced` (the sandbox died and a new one is needed) is a row of its own.
 */
export type TSandboxState = {
  status: TSandboxStatus;
  provider: string;
  reason: string | null;
  durationMs: number | null;
  /** Seq of the event that reported it. */
  seq: number;
  /** Index of the item that shows it. */
  itemIndex: number;
};

export type TTimelineItem =
  | (TItemBase & { kind: "user_message" | "agent_message" | "system_message"; blocks: TTimelineBlock[] } & TSentBy)
  | (TItemBase & { kind: "thinking" })
  | (TItemBase & {
      kind: "tool_call";
      source: TToolSource;
      name: string;
      mcpServer: string | null;
      input: Record<string, unknown>;
      permission: "allow" | "ask" | "deny" | null;
      confirmation: TToolConfirmation | null;
      result: TToolResult | null;
      /** Seq of a `user.interrupt` that came while the call had no result yet; null when none did. */
      interruptSeq: number | null;
      state: TToolCallState;
    })
  | (TItemBase & { kind: "error"; errorType: string; message: string; retry: "retrying" | "exhausted" | "terminal" })
  | (TItemBase & { kind: "status"; status: TSessionStatus; stopReason: TStopReason | null })
  | (TItemBase & { kind: "interrupt" } & TSentBy)
  | (TItemBase & { kind: "model_request"; end: TModelRequestEnd | null })
  | (TItemBase & { kind: "context_compacted" })
  | (TItemBase & { kind: "title_changed"; title: string | null })
  | (TItemBase & { kind: "sandbox"; status: TSandboxStatus; provider: string; reason: string | null; durationMs: number | null })
  | (TItemBase & { kind: "deleted" })
  /** A `user.define_outcome` and every evaluation of it, updated in place (lib/event-log/outcomes.ts). */
  | (TItemBase & { kind: "outcome"; outcome: TOutcomeView } & TSentBy);

export type TTimelineItemKind = TTimelineItem["kind"];
export type TToolCallItem = Extract<TTimelineItem, { kind: "tool_call" }>;
export type TModelRequestItem = Extract<TTimelineItem, { kind: "model_request" }>;
export type TSandboxItem = Extract<TTimelineItem, { kind: "sandbox" }>;
export type TOutcomeItem = Extract<TTimelineItem, { kind: "outcome" }>;

/** The events the outcome fold reads, in its own form (lib/event-log/outcomes.ts). */
type TOutcomeEvent = { id: string; seq: number; processedAt: string | null; body: TEventBody };

export type TTimelineState = {
  /** Status, stop reason, usage and last seq: `foldSessionState` over the same events. */
  session: TSessionState;
  items: readonly TTimelineItem[];
  /** Seq of a folded event → index of the item that shows it (its own, or the call or request it completes). */
  itemOfSeq: ReadonlyMap<number, number>;
  /** Id of a tool use or model request start → index of its item, for pairing what completes it. */
  itemOfEventId: ReadonlyMap<string, number>;
  /** The title announced by the latest `session.updated` that set one. */
  title: string | null;
  /** The sandbox as last reported; null before any report (none was needed yet, or not shown to this viewer). */
  sandbox: TSandboxState | null;
  /**
   * Cost of the usage so far: each request's recorded list cost, or (a request logged before list
   * costs were recorded) an estimate from its model's family (estimate-cost.ts); null when a
   * request has neither.
   */
  costUsd: number | null;
  /** The budget set by the latest `session.updated` that changed it (`budget: null`: removed); null when none did. */
  budgetUpdate: { budget: TBudget | null } | null;
  /** The outcome events folded so far, from the first `user.define_outcome` on (empty while there is none). */
  outcomeEvents: readonly TOutcomeEvent[];
  /**
   * The session's threads (lib/event-log/threads.ts, the fold the API serves), the primary one
   * under `PRIMARY_THREAD` first, then a coordinator's children in the order they were created.
   */
  threads: ReadonlyMap<string, Readonly<TThreadState>>;
  eventCount: number;
};

/**
 * The primary thread's key among `threads`. Its events name no thread in the log, and the view
 * does not need the session's id to know it.
 */
export const PRIMARY_THREAD = "primary";

export type TTimelineOptions = {
  /** The session's model (or just its family name): prices the usage. */
  model?: string | null;
};

export const INITIAL_TIMELINE: TTimelineState = Object.freeze({
  session: INITIAL_SESSION_STATE,
  items: Object.freeze([]) as readonly TTimelineItem[],
  itemOfSeq: new Map<number, number>(),
  itemOfEventId: new Map<string, number>(),
  title: null,
  sandbox: null,
  costUsd: 0,
  budgetUpdate: null,
  outcomeEvents: Object.freeze([]) as readonly TOutcomeEvent[],
  threads: initialThreads(PRIMARY_THREAD),
  eventCount: 0,
});

/** The working copy one `foldTimeline` call mutates; the state it started from is never touched. */
type TDraft = {
  items: TTimelineItem[];
  itemOfSeq: Map<number, number>;
  itemOfEventId: Map<string, number>;
  title: string | null;
  sandbox: TSandboxState | null;
  costUsd: number | null;
  budgetUpdate: { budget: TBudget | null } | null;
  outcomeEvents: TOutcomeEvent[];
  family: TModelFamily | null;
};

function toolState(item: Omit<TToolCallItem, "state">): TToolCallState {
  if (item.permission === "deny" || item.confirmation?.result === "deny") return "denied";
  if (item.result) return !item.result.isError ? "done" : item.interruptSeq !== null ? "interrupted" : "error";
  if (item.source === "custom") return "awaiting_client";
  if (item.permission === "ask" && !item.confirmation) return "awaiting_confirmation";
  return "running";
}

function push(draft: TDraft, event: TTimelineEvent, item: TTimelineItem): void {
  const thread = (event as { session_thread_id?: string }).session_thread_id;
  draft.items.push(thread === undefined ? item : { ...item, thread });
  draft.itemOfSeq.set(event.seq, draft.items.length - 1);
}

/** Replaces the tool call opened by `toolUseId` with `patch` applied; false when there is none. */
function updateToolCall(draft: TDraft, event: TTimelineEvent, toolUseId: string, patch: Partial<TToolCallItem>): boolean {
  const index = draft.itemOfEventId.get(toolUseId);
  const current = index === undefined ? undefined : draft.items[index];
  if (index === undefined || current?.kind !== "tool_call") return false;
  const next = { ...current, ...patch };
  draft.items[index] = { ...next, state: toolState(next) };
  draft.itemOfSeq.set(event.seq, index);
  return true;
}

function addToolCall(draft: TDraft, event: TTimelineEvent, fields: Pick<TToolCallItem, "source" | "name" | "mcpServer" | "input" | "permission">): void {
  const base = { kind: "tool_call" as const, key: event.id, seq: event.seq, at: event.processed_at, ...fields, confirmation: null, result: null, interruptSeq: null };
  push(draft, event, { ...base, state: toolState(base) });
  draft.itemOfEventId.set(event.id, draft.items.length - 1);
}

/** A result whose call is not in the folded log (a partial log): shown as a call of an unknown tool. */
function resultOf(draft: TDraft, event: TTimelineEvent, toolUseId: string, source: TToolSource, result: TToolResult): void {
  if (updateToolCall(draft, event, toolUseId, { result })) return;
  const base = { kind: "tool_call" as const, key: event.id, seq: event.seq, at: event.processed_at, source, name: "unknown tool", mcpServer: null, input: {}, permission: null, confirmation: null, result, interruptSeq: null };
  push(draft, event, { ...base, state: toolState(base) });
}

/**
 * An interrupt closes every call still open: the harness answers each with an error result
 * (plan-next-step.ts), which is then shown as interrupted rather than as the tool's failure. Only
 * calls with no result yet are marked; a call whose result lands after the interrupt without an
 * error (it finished in time) stays done.
 */
function markInterrupted(draft: TDraft, seq: number): void {
  for (const index of draft.itemOfEventId.values()) {
    const item = draft.items[index];
    if (item?.kind === "tool_call" && item.result === null && item.interruptSeq === null) draft.items[index] = { ...item, interruptSeq: seq };
  }
}

function sentBy(event: TTimelineEvent): TSentBy {
  return event.actor ? { actor: event.actor } : {};
}

/**
 * The cost of the model requests that are not the agent's own turns, as the session's usage counts
 * them (lib/event-log/fold.ts): the grader's, the context summary's and the advisor's (on its tool
 * result), each with its recorded list cost.
 */
function addSideRequestCost(draft: TDraft, event: TTimelineEvent): void {
  const side = sideRequestOf(event);
  if (!side) return;
  const costUsd = side.list_cost_nano_usd !== undefined ? (side.list_cost_nano_usd === null ? null : side.list_cost_nano_usd / 1e9) : estimateCostUsd(side.model_usage, draft.family);
  draft.costUsd = draft.costUsd === null || costUsd === null ? null : draft.costUsd + costUsd;
}

function apply(draft: TDraft, event: TTimelineEvent, session: TSessionState): void {
  const base = { key: event.id, seq: event.seq, at: event.processed_at };
  addSideRequestCost(draft, event);
  switch (event.type) {
    case "user.message":
      return push(draft, event, { ...base, kind: "user_message", blocks: toTimelineBlocks(event.content), ...sentBy(event) });
    case "agent.message":
      return push(draft, event, { ...base, kind: "agent_message", blocks: toTimelineBlocks(event.content) });
    case "system.message":
      return push(draft, event, { ...base, kind: "system_message", blocks: toTimelineBlocks(event.content) });
    case "agent.thinking":
      return push(draft, event, { ...base, kind: "thinking" });
    case "agent.tool_use":
      return addToolCall(draft, event, { source: "builtin", name: event.name, mcpServer: null, input: event.input, permission: event.evaluated_permission ?? null });
    case "agent.mcp_tool_use":
      return addToolCall(draft, event, { source: "mcp", name: event.name, mcpServer: event.mcp_server_name, input: event.input, permission: event.evaluated_permission ?? null });
    case "agent.custom_tool_use":
      return addToolCall(draft, event, { source: "custom", name: event.name, mcpServer: null, input: event.input, permission: null });
    case "agent.tool_result":
    case "user.tool_result":
      return resultOf(draft, event, event.tool_use_id, "builtin", { id: event.id, seq: event.seq, at: event.processed_at, isError: event.is_error ?? false, blocks: toTimelineBlocks(event.content), ...sentBy(event) });
    case "agent.mcp_tool_result":
      return resultOf(draft, event, event.mcp_tool_use_id, "mcp", { id: event.id, seq: event.seq, at: event.processed_at, isError: event.is_error ?? false, blocks: toTimelineBlocks(event.content) });
    case "user.custom_tool_result":
      return resultOf(draft, event, event.custom_tool_use_id, "custom", { id: event.id, seq: event.seq, at: event.processed_at, isError: event.is_error ?? false, blocks: toTimelineBlocks(event.content), ...sentBy(event) });
    case "user.tool_confirmation": {
      const confirmation = { id: event.id, seq: event.seq, at: event.processed_at, result: event.result, denyMessage: event.deny_message ?? null, ...sentBy(event) };
      updateToolCall(draft, event, event.tool_use_id, { confirmation });
      return;
    }
    case "span.tool_execution_start":
      // internal (never on the wire): the call it starts already shows as running
      if (draft.itemOfEventId.has(event.tool_use_id)) draft.itemOfSeq.set(event.seq, draft.itemOfEventId.get(event.tool_use_id)!);
      return;
    case "user.interrupt":
      markInterrupted(draft, event.seq);
      return push(draft, event, { ...base, kind: "interrupt", ...sentBy(event) });
    case "session.error":
      return push(draft, event, { ...base, kind: "error", errorType: event.error.type, message: event.error.message, retry: event.error.retry_status.type });
    case "session.status_running":
    case "session.status_idle":
    case "session.status_rescheduled":
    case "session.status_terminated":
      return push(draft, event, { ...base, kind: "status", status: session.status, stopReason: session.stopReason });
    case "span.model_request_start":
      push(draft, event, { ...base, kind: "model_request", end: null });
      draft.itemOfEventId.set(event.id, draft.items.length - 1);
      return;
    case "span.model_request_end": {
      const usage = event.model_usage;
      const costUsd =
        event.list_cost_nano_usd !== undefined ? (event.list_cost_nano_usd === null ? null : event.list_cost_nano_usd / 1e9) : estimateCostUsd(usage, draft.family);
      draft.costUsd = draft.costUsd === null || costUsd === null ? null : draft.costUsd + costUsd;
      const end: TModelRequestEnd = {
        id: event.id,
        seq: event.seq,
        at: event.processed_at,
        isError: event.is_error ?? false,
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
        },
        costUsd,
      };
      const index = draft.itemOfEventId.get(event.model_request_start_id);
      const start = index === undefined ? undefined : draft.items[index];
      if (index !== undefined && start?.kind === "model_request") {
        draft.items[index] = { ...start, end };
        draft.itemOfSeq.set(event.seq, index);
      } else {
        push(draft, event, { ...base, kind: "model_request", end });
      }
      return;
    }
    case "agent.thread_context_compacted":
      return push(draft, event, { ...base, kind: "context_compacted" });
    case "session.updated":
      if (event.budget !== undefined) draft.budgetUpdate = { budget: budgetOf(event.budget) };
      if (event.title !== undefined) {
        draft.title = event.title;
        push(draft, event, { ...base, kind: "title_changed", title: event.title });
      }
      return;
    case "session.deleted":
      return push(draft, event, { ...base, kind: "deleted" });
    case "span.sandbox_status":
      return applySandboxStatus(draft, event);
    case "user.define_outcome":
      push(draft, event, { ...base, kind: "outcome", outcome: foldOutcomes([outcomeEvent(event)])[0]!, ...sentBy(event) });
      draft.itemOfEventId.set(event.outcome_id, draft.items.length - 1);
      return;
    case "span.outcome_evaluation_ongoing":
      // a heartbeat: nothing changes on the card it points at
      if (draft.itemOfEventId.has(event.outcome_id)) draft.itemOfSeq.set(event.seq, draft.itemOfEventId.get(event.outcome_id)!);
      return;
  }
}

const OUTCOME_TYPES = new Set<string>(OUTCOME_EVENT_TYPES);

function outcomeEvent(event: TTimelineEvent): TOutcomeEvent {
  const { id, seq, processed_at: processedAt, actor: _actor, ...body } = event;
  return { id, seq, processedAt, body: body as TEventBody };
}

/**
 * The outcome cards after an event the outcome fold reads: the fold of the outcome events so far,
 * each card replaced by its outcome's view. An evaluation's events point at their card (`itemOfSeq`).
 */
function applyOutcomeEvent(draft: TDraft, event: TTimelineEvent): void {
  if (!OUTCOME_TYPES.has(event.type)) return;
  if (event.type !== "user.define_outcome" && draft.outcomeEvents.length === 0) return;
  const outcomes = foldOutcomes([...draft.outcomeEvents, outcomeEvent(event)]);
  // a model request only moves a pending outcome on: the others need not keep it
  const pending = outcomes.some((o) => o.status === "pending");
  if (event.type !== "span.model_request_start" || pending) draft.outcomeEvents.push(outcomeEvent(event));
  for (const outcome of outcomes) {
    const index = draft.itemOfEventId.get(outcome.outcomeId);
    const item = index === undefined ? undefined : draft.items[index];
    if (index === undefined || item?.kind !== "outcome") continue;
    draft.items[index] = { ...item, outcome };
    if (event.type.startsWith("span.outcome_evaluation") && (event as { outcome_id?: string }).outcome_id === outcome.outcomeId) draft.itemOfSeq.set(event.seq, index);
  }
}

/** Whether an outcome card still changes: not in a terminal state. */
export function outcomeInProgress(item: TOutcomeItem): boolean {
  return !isTerminalOutcome(item.outcome.status);
}

function applySandboxStatus(draft: TDraft, event: TTimelineEvent & { type: "span.sandbox_status" }): void {
  const fields = { status: event.status, provider: event.provider, reason: event.reason, durationMs: event.duration_ms };
  const open = draft.sandbox?.status === "provisioning" ? draft.sandbox.itemIndex : -1;
  const current = open >= 0 ? draft.items[open] : undefined;
  let itemIndex: number;
  if ((event.status === "ready" || event.status === "failed") && current?.kind === "sandbox") {
    // the provisioning row settles in place: one row per sandbox
    draft.items[open] = { ...current, ...fields };
    draft.itemOfSeq.set(event.seq, open);
    itemIndex = open;
  } else {
    push(draft, event, { key: event.id, seq: event.seq, at: event.processed_at, kind: "sandbox", ...fields });
    itemIndex = draft.items.length - 1;
  }
  draft.sandbox = { ...fields, seq: event.seq, itemIndex };
}

/** Folds `events` (in seq order) into `state`. Pure: `state` is left as it was. */
export function foldTimeline(state: TTimelineState, events: readonly TTimelineEvent[], options: TTimelineOptions = {}): TTimelineState {
  const fresh: TTimelineEvent[] = [];
  let last = state.session.lastSeq;
  for (const event of events) {
    if (event.seq <= last) continue;
    fresh.push(event);
    last = event.seq;
  }
  if (fresh.length === 0) return state;
  const family = modelFamily(options.model);
  const draft: TDraft = {
    items: state.items.slice(),
    itemOfSeq: new Map(state.itemOfSeq),
    itemOfEventId: new Map(state.itemOfEventId),
    title: state.title,
    sandbox: state.sandbox,
    costUsd: state.costUsd,
    budgetUpdate: state.budgetUpdate,
    outcomeEvents: state.outcomeEvents.slice(),
    family,
  };
  let session = state.session;
  // a copy of each thread: the fold updates them in place
  const threads = new Map([...state.threads].map(([id, thread]) => [id, { ...thread }]));
  for (const event of fresh) {
    session = foldSessionState(session, [{ seq: event.seq, body: event }]);
    applyThreadEvent(threads, PRIMARY_THREAD, { seq: event.seq, body: event, createdAt: event.processed_at ?? "" });
    apply(draft, event, session);
    applyOutcomeEvent(draft, event);
  }
  return {
    session,
    items: draft.items,
    itemOfSeq: draft.itemOfSeq,
    itemOfEventId: draft.itemOfEventId,
    title: draft.title,
    sandbox: draft.sandbox,
    costUsd: draft.costUsd,
    budgetUpdate: draft.budgetUpdate,
    outcomeEvents: draft.outcomeEvents,
    threads,
    eventCount: state.eventCount + fresh.length,
  };
}

/** The timeline of a whole log. */
export function timelineOf(events: readonly TTimelineEvent[], options: TTimelineOptions = {}): TTimelineState {
  return foldTimeline(INITIAL_TIMELINE, events, options);
}

/**
 * The index of the item that shows the event `seq` — its own item, the call or request it
 * completes, or else the last item opened before it (an event with no item of its own, such as a
 * `session.updated` without a title); -1 when no item comes at or before it.
 */
export function itemIndexAtSeq(state: TTimelineState, seq: number): number {
  const direct = state.itemOfSeq.get(seq);
  if (direct !== undefined) return direct;
  let lo = 0;
  let hi = state.items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (state.items[mid]!.seq <= seq) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
