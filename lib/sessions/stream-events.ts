import { queryArray } from "@/lib/api/query";
import { AppError } from "@/lib/errors";
import type { EventBus, TBusMessage } from "@/lib/realtime/event-bus";
import { INTERNAL_EVENT_TYPES, toWireEvent, type TStoredEvent } from "@/lib/session/events";
import type { SessionStore } from "@/lib/session/session-store";
import { findTeamSession } from "./find-team-session";

export const PING_INTERVAL_MS = 15_000;
export const POLL_INTERVAL_MS = 1_000;
const PREVIEW_TYPES = ["agent.message", "agent.thinking"] as const;

/**
 * `GET /v1/sessions/{id}/events/stream`: Server-Sent Events as the SDK parses them (reference §4):
 * every frame has `event: <type>`, keep-alive `event: ping` frames, headers flushed at once. Only
 * events committed after the subscription are sent, in seq order, each once, with the ids the list
 * returns. Events come from the event bus (at once, for appends in this process) and, for appends
 * made by other processes, from the log, read every second; a gap in what the bus delivered is
 * filled from the log, so nothing is missed or repeated. `event_deltas[]` adds live previews.
 * `session.deleted` ends the stream.
 */
export async function streamEvents(
  deps: { store: SessionStore; bus: EventBus },
  options: { teamId: string; sessionId: string; query: URLSearchParams; signal: AbortSignal },
): Promise<Response> {
  const previews = queryArray(options.query, "event_deltas");
  for (const type of previews) {
    if (!(PREVIEW_TYPES as readonly string[]).includes(type)) throw new AppError("invalid_request", `event_deltas: must be among ${PREVIEW_TYPES.join(", ")}`);
  }
  const sessionId = (await findTeamSession(deps.store, options.teamId, options.sessionId)).id;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let lastSent = 0;
  let catchingUp: Promise<void> | null = null;
  let again = false;

  const write = (event: string, data: unknown) => {
    if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  };
  const send = (events: readonly TStoredEvent[]) => {
    for (const event of events) {
      if (event.seq <= lastSent) continue;
      lastSent = event.seq;
      if (!INTERNAL_EVENT_TYPES.includes(event.body.type)) write(event.body.type, toWireEvent(event));
    }
  };
  // Reads what the log holds after the last event sent; concurrent calls coalesce into one more read.
  const catchUp = (): Promise<void> => {
    if (catchingUp) {
      again = true;
      return catchingUp;
    }
    catchingUp = (async () => {
      do {
        again = false;
        for (;;) {
          const events = await deps.store.getEvents(sessionId, { afterSeq: lastSent, limit: 1000 }).catch(() => []);
          send(events);
          if (events.length < 1000 || closed) break;
        }
      } while (again && !closed);
    })().finally(() => (catchingUp = null));
    return catchingUp;
  };

  let poll: ReturnType<typeof setInterval> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let ready = false;
  const early: TBusMessage[] = [];
  const onMessage = (message: TBusMessage) => {
    if (closed) return;
    if (!ready) return void early.push(message);
    if (message.kind === "deleted") {
      write("session.deleted", { type: "session.deleted", id: `sevt_deleted_${sessionId}`, processed_at: new Date().toISOString() });
      close();
    } else if (message.kind === "events") {
      const first = message.events[0];
      if (!first || first.seq <= lastSent) return send(message.events);
      if (first.seq === lastSent + 1 && !catchingUp) send(message.events);
      else void catchUp();
    } else if (previews.length > 0) {
      const p = message.preview;
      if (p.type === "event_start" && previews.includes(p.event.type)) write("event_start", p);
      if (p.type === "event_delta" && previews.includes("agent.message")) write("event_delta", p);
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      write("ping", { type: "ping" }); // flushes the headers at once
    },
    cancel() {
      close();
    },
  });
  // Subscribe first, then read where the log stands; what the bus delivers meanwhile waits, then
  // goes through the same checks: everything committed after that point is sent, once.
  const unsubscribe = deps.bus.subscribe(sessionId, onMessage);
  const startedAt = await deps.store.getSession(sessionId);
  lastSent = startedAt?.state.lastSeq ?? 0;
  ready = true;
  for (const message of early.splice(0)) onMessage(message);
  if (!closed) {
    poll = setInterval(() => void catchUp(), POLL_INTERVAL_MS);
    ping = setInterval(() => write("ping", { type: "ping" }), PING_INTERVAL_MS);
    poll.unref?.();
    ping.unref?.();
  }

  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(ping);
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  }
  options.signal.addEventListener("abort", close, { once: true });

  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
