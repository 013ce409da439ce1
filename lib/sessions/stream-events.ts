import { queryArray } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import type { EventBus } from "@/lib/realtime/event-bus";
import { followSession } from "@/lib/realtime/follow-session";
import { INTERNAL_EVENT_TYPES, toWireEvent, type TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";

export const PING_INTERVAL_MS = 15_000;
export const POLL_INTERVAL_MS = 1_000;
/** How often a stream asks whether its key still authenticates (`stillAuthorized`). */
export const AUTH_RECHECK_MS = 5_000;
const PREVIEW_TYPES = ["agent.message", "agent.thinking"] as const;

/**
 * `GET /v1/sessions/{id}/events/stream`: Server-Sent Events as the SDK parses them (reference §4):
 * every frame has `event: <type>`, keep-alive `event: ping` frames, headers flushed at once. Only
 * events committed after the stream opens are sent, in seq order, each once, with the ids the list
 * returns: the stream follows the log (`followSession`), through the event bus at once and through
 * the session's shared poll of the log (every second) for appends the bus did not bring, so nothing
 * is missed or repeated. A failed read of the log is tried again on the next poll; the stream stays
 * open. `event_deltas[]` adds live previews. `session.deleted` ends the stream.
 *
 * A stream is authorized when it opens, but may outlive its key: `stillAuthorized` is asked every
 * `AUTH_RECHECK_MS`, and the stream ends when the key no longer authenticates (a revoked API key, or
 * the token of a self-hosted work item that stopped, lost its lease or went to another worker). A
 * client that opens it again gets the 401.
 */
export async function streamEvents(
  deps: { store: SessionStore; bus: EventBus },
  options: {
    teamId: string;
    sessionId: string;
    query: URLSearchParams;
    signal: AbortSignal;
    /** Sends only these stored events (a thread's stream: stream-thread-events.ts); previews are all sent. */
    only?: (event: TStoredEvent) => boolean;
    /** Asked every AUTH_RECHECK_MS: the stream ends when the request's key no longer authenticates. */
    stillAuthorized?: () => Promise<boolean>;
  },
): Promise<Response> {
  const previews = queryArray(options.query, "event_deltas");
  for (const type of previews) {
    if (!(PREVIEW_TYPES as readonly string[]).includes(type)) throw new AppError("invalid_request", `event_deltas: must be among ${PREVIEW_TYPES.join(", ")}`);
  }
  const sessionId = (await findTeamSession(deps.store, options.teamId, options.sessionId)).id;
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const write = (event: string, data: unknown) => {
    if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  };

  // Where the log stands now: the stream sends what is committed after it.
  const startedAt = await deps.store.getSession(sessionId);
  const stopping = new AbortController();
  const follow = followSession(sessionId, startedAt?.state.lastSeq ?? 0, {
    store: deps.store,
    bus: deps.bus,
    pollMs: POLL_INTERVAL_MS,
    previews: previews.length > 0,
    signal: stopping.signal,
    pageSize: 1000,
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      write("ping", { type: "ping" }); // flushes the headers at once
    },
    cancel() {
      close();
    },
  });
  const ping = setInterval(() => write("ping", { type: "ping" }), PING_INTERVAL_MS);
  ping.unref?.();
  const recheck = options.stillAuthorized ? setInterval(() => void recheckAuthorization(options.stillAuthorized!), AUTH_RECHECK_MS) : undefined;
  recheck?.unref?.();
  async function recheckAuthorization(stillAuthorized: () => Promise<boolean>) {
    if (!closed && !(await stillAuthorized().catch(() => true))) close(); // a failed check is not a revocation
  }

  void (async () => {
    for await (const item of follow) {
      if (item.kind === "events") {
        for (const event of item.events) {
          if (!INTERNAL_EVENT_TYPES.includes(event.body.type) && (options.only?.(event) ?? true)) write(event.body.type, toWireEvent(event));
        }
      } else if (item.kind === "preview") {
        const p = item.preview;
        if (p.type === "event_start" && previews.includes(p.event.type)) write("event_start", p);
        if (p.type === "event_delta" && previews.includes("agent.message")) write("event_delta", p);
      } else if (item.kind === "deleted") {
        write("session.deleted", { type: "session.deleted", id: `sevt_deleted_${sessionId}`, processed_at: new Date().toISOString() });
        close();
      }
      // "read-failed": the stream stays open; the next poll or bus message reads again
    }
  })().catch(() => close());

  function close() {
    if (closed) return;
    closed = true;
    stopping.abort();
    clearInterval(ping);
    clearInterval(recheck);
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  }
  options.signal.addEventListener("abort", close, { once: true });
  if (options.signal.aborted) close();

  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
