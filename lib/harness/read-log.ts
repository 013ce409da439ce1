import "server-only";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { ADVISOR_TOOL_NAME, isCoordinatorTool } from "./coordinator-tool-names";
import { foldSessionState, INITIAL_SESSION_STATE, type TSessionState } from "@/lib/event-log/fold";
import { activeOutcome, foldOutcomes, type TOutcomeView } from "@/lib/event-log/outcomes";

/**
 * What the harness needs to know about a session, read from its log alone (a fold, like the
 * session state). Nothing here is kept between wakes: a harness that dies loses nothing.
 */
export type TToolUseView = {
  event: TStoredEvent;
  /** `thread`: a coordinator tool (coordinator-tools.ts), answered by the harness without a sandbox. */
  kind: "builtin" | "custom" | "mcp" | "thread" | "advisor";
  /** The tool's name on its server for `mcp` uses (the model saw `<server>__<name>`). */
  name: string;
  /** Set for `mcp` uses. */
  mcpServerName?: string;
  input: Record<string, unknown>;
  /** `allow`/`ask` as evaluated when the model asked for it (recorded on the event). */
  permission: "allow" | "ask" | "deny";
  confirmation: { result: "allow" | "deny"; denyMessage?: string } | null;
  started: boolean;
  resolved: boolean;
};

export type TLogView = {
  state: TSessionState;
  lastSeq: number;
  /** The latest `user.interrupt` not yet followed by a `session.status_idle`. */
  pendingInterrupt: TStoredEvent | null;
  /** Seq of the `session.status_idle` that answered the latest interrupt (0 when none). */
  interruptHandledSeq: number;
  /** A `span.model_request_start` with no end after it. */
  openModelRequest: TStoredEvent | null;
  /** Start seq of the latest model request that ended (successfully or by giving up). */
  lastEndedRequestStartSeq: number;
  /** Seq of the latest event the model must react to: a message or a tool result. */
  lastInputSeq: number;
  /** Tool uses of the latest completed model response, in order. */
  lastResponseToolUses: TToolUseView[];
  /** How many model requests have ended since the last idle (a runaway-loop guard). */
  requestsThisTurn: number;
  /** Seq of the latest `session.status_idle` (0 when none). */
  lastIdleSeq: number;
  /** The outcome being worked on (lib/event-log/outcomes.ts), if any. */
  outcome: TOutcomeView | null;
  /**
   * How big the model's context has grown, in tokens: the prompt and the answer of the latest
   * request that ended well (its `model_usage`); 0 after an `agent.thread_context_compacted` until
   * the next request ends. What the planner compacts by.
   */
  contextTokens: number;
};

const INPUT_TYPES = new Set<TEventBody["type"]>([
  "user.message",
  "system.message",
  "agent.tool_result",
  "agent.mcp_tool_result",
  "user.custom_tool_result",
  // a self-hosted environment's worker answers built-in tool calls
  "user.tool_result",
  // a message from another thread (the coordinator's thread: a thread's reply)
  "agent.thread_message_received",
  // the task of an outcome
  "user.define_outcome",
]);

/** A grader's verdict the agent answers: feedback to revise by, or the last word when iterations ran out. */
const ANSWERED_VERDICTS = new Set(["needs_revision", "max_iterations_reached"]);

export function readLog(events: readonly TStoredEvent[]): TLogView {
  const starts = new Map<string, TStoredEvent>();
  const toolUses = new Map<string, TToolUseView>();
  let pendingInterrupt: TStoredEvent | null = null;
  let interruptHandledSeq = 0;
  let openModelRequest: TStoredEvent | null = null;
  let lastEndedRequestStartSeq = 0;
  let lastInputSeq = 0;
  let lastResponse: { startSeq: number; endSeq: number } | null = null;
  let requestsThisTurn = 0;
  let lastIdleSeq = 0;
  let contextTokens = 0;

  for (const event of events) {
    const body = event.body;
    switch (body.type) {
      case "user.interrupt":
        pendingInterrupt = event;
        break;
      case "session.status_idle":
        if (pendingInterrupt) interruptHandledSeq = event.seq;
        pendingInterrupt = null;
        requestsThisTurn = 0;
        lastIdleSeq = event.seq;
        break;
      case "span.model_request_start":
        starts.set(event.id, event);
        openModelRequest = event;
        break;
      case "span.model_request_end": {
        const start = starts.get(body.model_request_start_id);
        if (start) {
          lastEndedRequestStartSeq = Math.max(lastEndedRequestStartSeq, start.seq);
          if (!body.is_error) lastResponse = { startSeq: start.seq, endSeq: event.seq };
        }
        if (!body.is_error) {
          const u = body.model_usage;
          contextTokens = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens + u.output_tokens;
        }
        if (openModelRequest?.id === body.model_request_start_id) openModelRequest = null;
        requestsThisTurn++;
        break;
      }
      case "agent.thread_context_compacted":
        contextTokens = 0;
        break;
      case "agent.tool_use":
      case "agent.custom_tool_use":
        toolUses.set(event.id, {
          event,
          kind: body.type === "agent.custom_tool_use" ? "custom" : isCoordinatorTool(body.name) ? "thread" : body.name === ADVISOR_TOOL_NAME ? "advisor" : "builtin",
          name: body.name,
          input: body.input,
          permission: body.type === "agent.tool_use" ? (body.evaluated_permission ?? "allow") : "allow",
          confirmation: null,
          started: false,
          resolved: false,
        });
        break;
      case "agent.mcp_tool_use":
        toolUses.set(event.id, {
          event,
          kind: "mcp",
          name: body.name,
          mcpServerName: body.mcp_server_name,
          input: body.input,
          permission: body.evaluated_permission ?? "allow",
          confirmation: null,
          started: false,
          resolved: false,
        });
        break;
      case "user.tool_confirmation": {
        const use = toolUses.get(body.tool_use_id);
        if (use) use.confirmation = { result: body.result, denyMessage: body.deny_message };
        break;
      }
      case "span.tool_execution_start": {
        const use = toolUses.get(body.tool_use_id);
        if (use) use.started = true;
        break;
      }
      case "agent.tool_result":
      case "user.tool_result":
      case "agent.mcp_tool_result":
      case "user.custom_tool_result": {
        const use = toolUses.get(answeredToolUseId(body));
        if (use) use.resolved = true;
        break;
      }
      default:
        break;
    }
    if (INPUT_TYPES.has(body.type)) lastInputSeq = event.seq;
    if (body.type === "span.outcome_evaluation_end" && ANSWERED_VERDICTS.has(body.result)) lastInputSeq = event.seq;
  }

  const lastResponseToolUses = lastResponse
    ? [...toolUses.values()].filter((u) => u.event.seq > lastResponse.startSeq && u.event.seq < lastResponse.endSeq)
    : [];
  return {
    state: foldSessionState(INITIAL_SESSION_STATE, events),
    lastSeq: events.at(-1)?.seq ?? 0,
    pendingInterrupt,
    interruptHandledSeq,
    openModelRequest,
    lastEndedRequestStartSeq,
    lastInputSeq,
    lastResponseToolUses,
    requestsThisTurn,
    lastIdleSeq,
    outcome: activeOutcome(foldOutcomes(events)),
    contextTokens,
  };
}

type TToolResultBody = Extract<TEventBody, { type: "agent.tool_result" | "user.tool_result" | "agent.mcp_tool_result" | "user.custom_tool_result" }>;

/** The id of the tool use a result answers: each kind of result names it in its own field. */
export function answeredToolUseId(body: TToolResultBody): string {
  switch (body.type) {
    case "agent.tool_result":
    case "user.tool_result": // a self-hosted environment's worker ran the built-in tool
      return body.tool_use_id;
    case "agent.mcp_tool_result":
      return body.mcp_tool_use_id;
    case "user.custom_tool_result":
      return body.custom_tool_use_id;
  }
}
