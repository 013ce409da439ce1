import "server-only";
import { newId } from "@/lib/ids";
import { listCostNanoUsd } from "@/lib/model/prices";
import { isAbortError, type ModelError, type TModelDelta, type TModelResponse } from "@/lib/model/types";
import { asModelError, retryDelayMs } from "./model-retry";
import type { TPreview } from "@/lib/realtime/event-bus";
import type { TEventBody } from "@/lib/event-log/events";
import type { TMcpModelTool } from "@/lib/mcp/session-mcp-clients";
import type { TAgentConfig } from "./agent-config";
import { findSessionEnvironment } from "@/lib/event-log/session-environments";
import type { TSessionHand } from "./session-hands";
import { ADVISOR_TOOL_NAME, isCoordinatorTool } from "./coordinator-tool-names";
import { mcpFailureEvent } from "./mcp-failure-event";
import { buildModelRequest } from "./build-model-request";
import { interruptedRequestEnd } from "./plan-next-step";
import { watchForInterrupt } from "./watch-for-interrupt";
import { DEFAULT_MODEL_RETRY, sleep, plannedAtSeq, type TWakeContext } from "./wake-context";

/**
 * One model call: `span.model_request_start`, the streamed answer (previews published live, not
 * stored), then the whole response appended as one batch ending in `span.model_request_end`. A
 * response is committed as a unit, so a harness that dies mid-stream leaves only the start on the
 * log and its successor simply issues the call again.
 *
 * Retryable failures (overload, rate limit, connection) are retried with backoff, each reported as
 * `session.error` with `retry_status: retrying`; when retries run out, or the failure cannot be
 * retried, the request is ended as an error and the session goes idle (`retries_exhausted`).
 * An interrupt aborts the stream; the planner then closes the turn.
 *
 * The session's MCP servers are connected (once per wake) before the first request, and their tools
 * offered with the agent's own. A server that cannot be reached or refuses the credential is
 * reported as `session.error` (with the request's start) and the model is called without its tools.
 */
export async function callModel(ctx: TWakeContext, before: TEventBody[] = []): Promise<void> {
  const mcp = ctx.mcp ? await ctx.mcp.tools(ctx.signal) : { tools: [], failuresToReport: [] };
  const request = buildModelRequest(ctx.events, ctx.agent, { mcpTools: mcp.tools });
  const controller = new AbortController();
  const abort = () => controller.abort();
  ctx.signal.addEventListener("abort", abort, { once: true });
  // Decision: the request's start is appended while the request is already on its way, not before
  // it: the append's round trip (a few ms) is off the path to the first token. Nothing is lost to
  // the log: the start is committed before anything that follows it (a delta is published only
  // after it, the response, an error or a retry is appended only after it), and an append that is
  // refused (a lease lost) aborts the request, whose failure is then the append's. The append
  // begins once the request has been handed to the connection (one turn of the event loop later,
  // `setImmediate`): on the embedded PGlite a statement runs on this thread, and begun first it
  // held the request back by its whole run (bench:ttft, PGlite: added p50 8.8–10.2 ms instead of
  // 11.3–14.1 at the same hour; PostgreSQL unchanged).
  const knownSeq = plannedAtSeq(ctx);
  const appending = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
    ctx.append([...before, ...mcp.failuresToReport.map(mcpFailureEvent), { type: "span.model_request_start" }]),
  );
  const starting = appending.then((events) => events.at(-1)!);
  let watch: ReturnType<typeof watchForInterrupt> | undefined;
  void appending.then(
    (started) => {
      if (controller.signal.aborted) return;
      watch = watchForInterrupt(ctx, knownSeq, started);
      void watch.interrupted.then(abort);
    },
    abort,
  );
  const retry = ctx.deps.modelRetry ?? DEFAULT_MODEL_RETRY;

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await ctx.deps.model.stream(request, { signal: controller.signal, onDelta: afterStart(starting, previewPublisher(ctx)) });
        const start = await starting;
        const hands = response.content.some((b) => b.type === "tool_use" && ctx.agent.builtinTools.has(b.name as never)) ? await ctx.hands() : null;
        await ctx.append([...responseEvents(response, ctx.agent, mcp.tools, hands ?? []), endOf(start.id, response, request.model)], { endsStep: true, mayEndTurn: true });
        return;
      } catch (error) {
        const start = await starting; // a refused start is the failure (it aborted the request)
        if (watch?.isInterrupted() || ctx.signal.aborted || isAbortError(error)) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
          return;
        }
        const failure = asModelError(error, "The model request failed.");
        ctx.deps.log?.warn("model request failed", { sessionId: ctx.sessionId, kind: failure.kind, attempt, retryable: failure.retryable });
        if (failure.retryable && attempt < retry.attempts) {
          await ctx.append([sessionError(failure, "retrying")]);
          await sleep(retryDelayMs(retry, attempt, failure), controller.signal);
          if (ctx.signal.aborted) throw ctx.signal.reason;
          if (controller.signal.aborted) return; // interrupted while waiting to retry
          continue;
        }
        await ctx.append([
          interruptedRequestEnd(start.id),
          sessionError(failure, "exhausted"),
          { type: "session.status_idle", stop_reason: { type: "retries_exhausted" }, stop_details: null },
        ], { endsStep: true });
        return;
      }
    }
  } finally {
    // the start may still be on its way (the request failed first): its watch is not left running
    await starting.catch(() => {});
    watch?.stop();
    ctx.signal.removeEventListener("abort", abort);
  }
}

/**
 * The stored form of a response: progress signal, messages and tool uses, in the model's order.
 * In a session of several environments (`hands`), each built-in tool use names the one it is routed
 * to (`environment_id`): the one its tool's config names, else the primary. Decision: a name the
 * session does not have (session creation refuses such an agent, so only an agent it did not check,
 * such as an inline one, can get here) goes to the primary too.
 */
export function responseEvents(response: TModelResponse, agent: TAgentConfig, mcpTools: readonly TMcpModelTool[] = [], hands: readonly TSessionHand[] = []): TEventBody[] {
  const events: TEventBody[] = [];
  const mcpByName = new Map(mcpTools.map((t) => [t.modelName, t]));
  if (response.content.some((b) => b.type === "thinking")) events.push({ type: "agent.thinking" });
  for (const block of response.content) {
    if (block.type === "text") {
      if (block.text !== "") events.push({ type: "agent.message", content: [{ type: "text", text: block.text }] });
    } else if (block.type === "tool_use") {
      const builtin = agent.builtinTools.get(block.name as never);
      const mcp = mcpByName.get(block.name);
      if (mcp && !builtin && !agent.customTools.has(block.name)) {
        const ask = mcp.permission === "ask";
        events.push({
          type: "agent.mcp_tool_use",
          mcp_server_name: mcp.serverName,
          name: mcp.toolName,
          input: block.input,
          evaluated_permission: ask ? "ask" : "allow",
          evaluation: { type: ask ? "always_ask" : "always_allow" },
        });
      } else if (agent.customTools.has(block.name)) {
        events.push({ type: "agent.custom_tool_use", name: block.name, input: block.input });
      } else if (builtin) {
        const ask = builtin.permission === "ask";
        const routed = hands.length > 1 ? (findSessionEnvironment(hands, builtin.environment) ?? findSessionEnvironment(hands, null)) : undefined;
        events.push({
          type: "agent.tool_use",
          name: block.name,
          input: block.input,
          evaluated_permission: ask ? "ask" : "allow",
          evaluation: { type: ask ? "always_ask" : "always_allow" },
          ...(routed ? { environment_id: routed.id } : {}),
        });
      } else if ((agent.roster && isCoordinatorTool(block.name)) || (agent.advisor && block.name === ADVISOR_TOOL_NAME)) {
        events.push({ type: "agent.tool_use", name: block.name, input: block.input, evaluated_permission: "allow", evaluation: { type: "always_allow" } });
      } else {
        // a tool the agent does not have: recorded, never run (the planner answers it as not permitted)
        events.push({ type: "agent.tool_use", name: block.name, input: block.input, evaluated_permission: "deny" });
      }
    }
  }
  if (response.stopReason === "refusal") {
    events.push({ type: "session.status_idle", stop_reason: { type: "refusal" }, stop_details: null });
  }
  return events;
}

/** The request's end, with its usage priced at the list price of the model that answered (prices.ts). */
function endOf(startId: string, response: TModelResponse, requestedModel: string): TEventBody {
  const model = response.model || requestedModel;
  return {
    type: "span.model_request_end",
    model_request_start_id: startId,
    is_error: false,
    model_usage: response.usage,
    model,
    list_cost_nano_usd: listCostNanoUsd(model, response.usage),
  };
}

function sessionError(error: ModelError, retryStatus: "retrying" | "exhausted"): TEventBody {
  return { type: "session.error", error: { type: error.kind, message: error.message, retry_status: { type: retryStatus } } };
}

/** `publish`, holding each delta until the request's start is in the log, then in order; none if the start was refused. */
function afterStart<T>(starting: Promise<unknown>, publish: ((delta: T) => void) | undefined): ((delta: T) => void) | undefined {
  if (!publish) return undefined;
  let held: T[] | null = [];
  let refused = false;
  void starting.then(
    () => {
      for (const delta of held ?? []) publish(delta);
      held = null;
    },
    () => {
      refused = true;
      held = null;
    },
  );
  return (delta) => {
    if (held) held.push(delta);
    else if (!refused) publish(delta);
  };
}

/**
 * Publishes token deltas as Managed Agents preview events (`event_start`, `event_delta`). Preview
 * ids are not the stored events' ids: the stored `agent.message` that follows is authoritative.
 */
function previewPublisher(ctx: TWakeContext) {
  const bus = ctx.deps.bus;
  if (!bus) return undefined;
  const ids = new Map<number, string>();
  const publish = (preview: TPreview) => bus.publish(ctx.sessionId, { kind: "preview", preview });
  return (delta: TModelDelta) => {
    if (delta.type === "block_start") {
      if (delta.blockType === "tool_use") return;
      const id = newId("event");
      ids.set(delta.index, id);
      publish({ type: "event_start", event: { type: delta.blockType === "text" ? "agent.message" : "agent.thinking", id } });
    } else if (delta.type === "text") {
      const id = ids.get(delta.index);
      if (id) publish({ type: "event_delta", event_id: id, delta: { type: "content_delta", index: 0, content: { type: "text", text: delta.text } } });
    }
  };
}
