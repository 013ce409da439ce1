import "server-only";
import { SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_AGENT_VERSION,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
} from "@opentelemetry/semantic-conventions/incubating";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import type { SessionStore, TSessionRecord, TSessionSnapshot } from "@/lib/event-log/session-store";
import { ATTR_ENVIRONMENT_ID, ATTR_TURN_STEPS } from "./attributes";
import type { ToolCallSpans } from "./tool-call-spans";
import type { ThreadSpans } from "./thread-spans";
import { parentOfTurn, type TraceHandoff } from "./trace-handoff";

type TWake<TDeps, TOptions, TResult> = (sessionId: string, deps: TDeps, options?: TOptions) => Promise<TResult>;

/**
 * `wake`, with each call a turn of the session: an `invoke_agent` span (GenAI semantic conventions)
 * that is the parent of the turn's model requests, tool calls and sandbox work. It continues the
 * trace of the API request that woke the session when one was handed off (`TraceHandoff`), and
 * starts a trace of its own otherwise. The session's agent and environment are named from the
 * claim's snapshot, or from the wake's own read of the session (seen through `ToolCallSpans.observe`).
 * In a coordinator's session, each child thread's turn is a span under it (`ThreadSpans`).
 */
export function traceTurns<TDeps extends { store: SessionStore }, TOptions extends { snapshot?: TSessionSnapshot }, TResult extends { steps: number }>(
  wake: TWake<TDeps, TOptions, TResult>,
  options: { tracer: Tracer; tools: ToolCallSpans; handoff: TraceHandoff; threads?: ThreadSpans },
): TWake<TDeps, TOptions, TResult> {
  const { tracer, tools, handoff, threads } = options;
  return async (sessionId, deps, wakeOptions) => {
    const parent = await parentOfTurn(handoff, sessionId);
    const attributes = { [ATTR_GEN_AI_OPERATION_NAME]: "invoke_agent", [ATTR_GEN_AI_PROVIDER_NAME]: "anthropic", [ATTR_GEN_AI_CONVERSATION_ID]: sessionId };
    return tracer.startActiveSpan("invoke_agent", { attributes }, parent, async (span) => {
      const snapshot = wakeOptions?.snapshot?.session.id === sessionId ? wakeOptions.snapshot : undefined;
      tools.beginTurn(sessionId, (session) => describeTurn(span, session), snapshot);
      try {
        const result = await wake(sessionId, deps, wakeOptions);
        span.setAttribute(ATTR_TURN_STEPS, result.steps);
        return result;
      } catch (error) {
        const type = error instanceof Error ? error.name : "_OTHER";
        span.setAttribute(ATTR_ERROR_TYPE, type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw error;
      } finally {
        threads?.endTurn(sessionId);
        tools.endTurn(sessionId);
        span.end();
      }
    });
  };
}

function describeTurn(span: Span, session: TSessionRecord): void {
  const name = typeof session.agentSnapshot.name === "string" ? session.agentSnapshot.name : undefined;
  if (name) span.updateName(`invoke_agent ${name}`);
  span.setAttributes({
    [ATTR_GEN_AI_AGENT_ID]: session.agentId,
    [ATTR_GEN_AI_AGENT_VERSION]: String(session.agentVersion),
    [ATTR_ENVIRONMENT_ID]: session.environmentId,
    ...(name ? { [ATTR_GEN_AI_AGENT_NAME]: name } : {}),
  });
}
