import type { EventBus } from "@/lib/realtime/event-bus";

/**
 * Tells long polls of an environment that it may have work now, in every process sharing the bus
 * (the bus's channels are named by a key; the environment's is `environment-work:<id>`, and the
 * message carries nothing: a poll reads the queue itself). A poll also looks at the queue every
 * `RECHECK_MS` while it waits, so a lost signal costs at most that much.
 */
export type TWorkSignal = { notify(environmentId: string): void; wait(environmentId: string, ms: number, signal?: AbortSignal): Promise<void> };

const RECHECK_MS = 250;
const channel = (environmentId: string) => `environment-work:${environmentId}`;

export function busWorkSignal(bus: EventBus): TWorkSignal {
  return {
    notify(environmentId) {
      bus.publish(channel(environmentId), { kind: "events", events: [] });
    },
    wait(environmentId, ms, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(ms, RECHECK_MS));
        const unsubscribe = bus.subscribe(channel(environmentId), done);
        signal?.addEventListener("abort", done, { once: true });
      });
    },
  };
}
