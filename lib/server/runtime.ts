import type { RateLimiter } from "@/lib/api/rate-limiter";
import type { Database } from "@/lib/db/open-database";
import type { THarness } from "@/lib/harness/create-harness";
import type { ModelClient } from "@/lib/model/types";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { SessionStore } from "@/lib/event-log/session-store";

/**
 * What the booted server process holds: the open database and what is built on it. It lives on
 * `globalThis` because the custom server (loaded by tsx) and Next's bundled route code each get
 * their own copy of every module; a module-level variable would not be shared between them.
 */
export type TRuntime = { db: Database; sessions: SessionStore; bus: EventBus; model: ModelClient; harness: THarness; rateLimiter: RateLimiter };

const KEY = Symbol.for("open-managed-agents.runtime");
type TGlobal = typeof globalThis & { [KEY]?: TRuntime };

export function setRuntime(runtime: TRuntime | undefined): void {
  (globalThis as TGlobal)[KEY] = runtime;
}

export function getRuntime(): TRuntime {
  const runtime = (globalThis as TGlobal)[KEY];
  if (!runtime) throw new Error("The server runtime is not booted: start the app with `npm start` or `npm run dev`.");
  return runtime;
}
