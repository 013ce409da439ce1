import type { TEnv } from "@/lib/env";
import type { Logger } from "@/lib/log";
import { InMemoryEventBus, type EventBus } from "./event-bus";
import { RedisEventBus } from "./redis-event-bus";

export type TClosableEventBus = EventBus & { close(): Promise<void> };

/**
 * The event bus of this process: over Redis when REDIS_URL is set, so that what any web server or
 * `npm run worker` process publishes reaches the subscribers of every process; in memory (this
 * process only) otherwise. Rejects when Redis cannot be reached at start-up.
 */
export async function createEventBus(env: Pick<TEnv, "REDIS_URL">, log: Logger): Promise<TClosableEventBus> {
  if (!env.REDIS_URL) return new InMemoryEventBus();
  return RedisEventBus.connect({ url: env.REDIS_URL, log });
}
