import type { SessionStore, TAppendOptions, TAppendResult } from "@/lib/event-log/session-store";
import type { EventBus } from "./event-bus";

/**
 * A SessionStore that publishes every committed append on an EventBus, after the commit (a failed
 * append publishes nothing; a repeated idempotent one publishes nothing new).
 */
export function withPublishing(store: SessionStore, bus: EventBus): SessionStore {
  return {
    createSession: (input) => store.createSession(input),
    getSession: (id) => store.getSession(id),
    getEvents: (id, query) => store.getEvents(id, query),
    async appendEvents(sessionId: string, events: readonly unknown[], options?: TAppendOptions): Promise<TAppendResult> {
      const result = await store.appendEvents(sessionId, events, options);
      if (!result.duplicate) bus.publish(sessionId, { kind: "events", events: result.events });
      return result;
    },
  };
}
