/** Shared pieces of `npm run bench:harness`: instrumented model and store, seeded delays, a pool. */
import type { ModelClient, TModelRequest, TModelResponse, TStreamOptions } from "@/lib/model/types";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore, TAppendOptions, TAppendResult, TEventQuery, TNewSession, TSessionRecord } from "@/lib/event-log/session-store";

/** An agent with the built-in toolset, as the API would pin it on a session. */
export const AGENT_SNAPSHOT = {
  type: "agent",
  name: "bench agent",
  model: { id: "claude-bench" },
  system: "You are the agent of a benchmark.",
  tools: [{ type: "agent_toolset_20260401" }],
};

export const say = (text: string) => ({ type: "user.message", content: [{ type: "text", text }] });

/** A model wrapped to count its calls and add up the time spent inside `stream`. */
export class TimedModel implements ModelClient {
  readonly description: string;
  started = 0;
  finished = 0;
  private ms = 0;

  constructor(private readonly inner: ModelClient) {
    this.description = inner.description;
  }

  async stream(request: TModelRequest, options: TStreamOptions): Promise<TModelResponse> {
    this.started += 1;
    const start = performance.now();
    try {
      return await this.inner.stream(request, options);
    } finally {
      this.ms += performance.now() - start;
      this.finished += 1;
    }
  }

  /** Milliseconds spent in `stream` since the last call. */
  takeMs(): number {
    const ms = this.ms;
    this.ms = 0;
    return ms;
  }
}

/** A session store wrapped to add up the calls made to it and the time they took, reads and appends apart. */
export class TimedStore implements SessionStore {
  private totals = { reads: 0, readMs: 0, appends: 0, appendMs: 0 };

  constructor(private readonly inner: SessionStore) {}

  private async time<T>(kind: "read" | "append", call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      this.totals[kind === "read" ? "reads" : "appends"] += 1;
      this.totals[kind === "read" ? "readMs" : "appendMs"] += performance.now() - start;
    }
  }

  createSession(input: TNewSession): Promise<TSessionRecord> {
    return this.inner.createSession(input);
  }
  getSession(sessionId: string): Promise<TSessionRecord | null> {
    return this.time("read", () => this.inner.getSession(sessionId));
  }
  appendEvents(sessionId: string, events: readonly unknown[], options?: TAppendOptions): Promise<TAppendResult> {
    return this.time("append", () => this.inner.appendEvents(sessionId, events, options));
  }
  getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    return this.time("read", () => this.inner.getEvents(sessionId, query));
  }

  /** Calls and milliseconds since the last call. */
  take(): { reads: number; readMs: number; appends: number; appendMs: number } {
    const totals = this.totals;
    this.totals = { reads: 0, readMs: 0, appends: 0, appendMs: 0 };
    return totals;
  }
}

/** `count` delays (ms) from a log-normal distribution with the given median, reproducible by seed. */
export function logNormalDelays(count: number, medianMs: number, sigma: number, seed: number): number[] {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(medianMs * Math.exp(sigma * normal));
  });
}

/** Runs `fn` over `items`, at most `size` at once; results in the order of `items`. */
export async function inPool<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  return results;
}

/** "−87%" / "+3%": the change from `before` to `after`. */
export function change(after: number, before: number): string {
  const percent = Math.round((after / before - 1) * 100);
  return `${percent < 0 ? "−" : "+"}${Math.abs(percent)}%`;
}

export const verdict = (ok: boolean) => (ok ? "met" : "NOT met");

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
