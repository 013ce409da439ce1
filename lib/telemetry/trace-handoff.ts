import "server-only";
import { context, createContextKey, propagation, ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import type { SessionStore } from "@/lib/event-log/session-store";

/** A W3C trace context as headers carry it (`traceparent`, and `tracestate` when there is one). */
export type TTraceCarrier = { traceparent: string; tracestate?: string };

/**
 * Where the trace context of the request that woke a session waits for the harness turn it starts:
 * `put` when the session is queued, `take` (read and forget) when a turn begins. A turn that finds
 * none starts a trace of its own.
 */
export interface TraceHandoff {
  put(sessionId: string, carrier: TTraceCarrier): Promise<void> | void;
  take(sessionId: string): Promise<TTraceCarrier | undefined> | TTraceCarrier | undefined;
}

/**
 * For a harness in the process that queued the work (the web server's in-process worker). Bounded:
 * past `limit` sessions waiting, the oldest is forgotten (its turn then starts a trace of its own).
 */
export class InMemoryTraceHandoff implements TraceHandoff {
  private readonly waiting = new Map<string, TTraceCarrier>();
  constructor(private readonly limit = 10_000) {}

  put(sessionId: string, carrier: TTraceCarrier): void {
    this.waiting.delete(sessionId);
    this.waiting.set(sessionId, carrier);
    if (this.waiting.size > this.limit) this.waiting.delete(this.waiting.keys().next().value!);
  }

  take(sessionId: string): TTraceCarrier | undefined {
    const carrier = this.waiting.get(sessionId);
    this.waiting.delete(sessionId);
    return carrier;
  }
}

/** Set in the context of a harness turn: what the harness itself appends hands no context off. */
const IN_TURN = createContextKey("managed_agents.harness_turn");

export function markTurn(ctx: Context): Context {
  return ctx.setValue(IN_TURN, true);
}

/**
 * The session log, handing the trace context of each append that wakes the session (a user message
 * sent through the API within a trace) to the harness turn it starts (`parentOfTurn`).
 */
export function withTraceHandoff(store: SessionStore, handoff: TraceHandoff): SessionStore {
  return {
    createSession: (input) => store.createSession(input),
    getSession: (id) => store.getSession(id),
    getEvents: (id, query) => store.getEvents(id, query),
    async appendEvents(sessionId, events, options) {
      const active = context.active();
      if (options?.wake && !active.getValue(IN_TURN) && trace.getSpanContext(active)) {
        const carrier: Partial<TTraceCarrier> = {};
        propagation.inject(active, carrier);
        if (carrier.traceparent) {
          // Before the append: a worker may claim the session as soon as it commits.
          await handoff.put(sessionId, carrier as TTraceCarrier);
          return store.appendEvents(sessionId, events, options).catch(async (error: unknown) => {
            await handoff.take(sessionId); // nothing was queued: the context must not wait for a later turn
            throw error;
          });
        }
      }
      return store.appendEvents(sessionId, events, options);
    },
  };
}

/** The context a turn of `sessionId` starts in: the waking request's trace, or a new trace. */
export async function parentOfTurn(handoff: TraceHandoff, sessionId: string): Promise<Context> {
  const carrier = await handoff.take(sessionId);
  return markTurn(carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT);
}
