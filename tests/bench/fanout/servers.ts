/**
 * The two real servers of `npm run bench:fanout`: `server.ts` (production build) twice, on one
 * scratch PostgreSQL database and one Redis, with the same bootstrap API key — as the two-server
 * realtime test starts them. Server A runs the harness (calling the scripted Messages API) and
 * takes every write; server B runs no harness and only serves viewers.
 */
import { newSecretToken } from "@/lib/ids";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { createScratchDatabase } from "@/tests/fixtures/postgres";

export type TServers = {
  a: AppServer;
  b: AppServer;
  apiKey: string;
  databaseUrl: string;
  stop(): Promise<void>;
};

export async function startServers(options: { redisUrl: string; modelUrl: string }): Promise<TServers> {
  const scratch = await createScratchDatabase("oma_bench");
  const apiKey = newSecretToken("oma_");
  const env = {
    DATABASE_URL: scratch.url,
    // both servers sign sessions alike (the replay page needs it; required with DATABASE_URL)
    NEXTAUTH_SECRET: newSecretToken("bench_"),
    REDIS_URL: options.redisUrl,
    BOOTSTRAP_API_KEY: apiKey,
    ANTHROPIC_API_KEY: "bench-key",
    ANTHROPIC_BASE_URL: options.modelUrl,
    API_RATE_LIMIT_RPS: "1000000",
    API_RATE_LIMIT_BURST: "1000000",
  };
  const started: AppServer[] = [];
  const stop = async () => {
    for (const server of started.reverse()) await server.stop();
    await scratch.drop();
  };
  try {
    started.push(await startAppServer({ env }));
    started.push(await startAppServer({ env: { ...env, HARNESS_IN_PROCESS: "false" } }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { a: started[0]!, b: started[1]!, apiKey, databaseUrl: scratch.url, stop };
}

/** A JSON request to the API of `server`; throws on any status but 200. */
export async function api<T>(server: AppServer, apiKey: string, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "x-api-key": apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export type TWireEvent = { id: string; type: string; processed_at: string | null } & Record<string, unknown>;
export type TEventPage = { data: TWireEvent[]; next_page: string | null };

/** Every event of a session, as `GET /v1/sessions/{id}/events` lists it, paged by 1000. */
export async function listEvents(server: AppServer, apiKey: string, sessionId: string): Promise<TWireEvent[]> {
  const events: TWireEvent[] = [];
  let page: string | null = null;
  do {
    const query: string = page ? `&page=${encodeURIComponent(page)}` : "";
    const result: TEventPage = await api<TEventPage>(server, apiKey, "GET", `/v1/sessions/${sessionId}/events?limit=1000${query}`);
    events.push(...result.data);
    page = result.next_page;
  } while (page);
  return events;
}

/** Resolves once the session's log ends with `session.status_idle`: the harness has nothing left to do. */
export async function untilIdle(server: AppServer, apiKey: string, sessionId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await api<TEventPage>(server, apiKey, "GET", `/v1/sessions/${sessionId}/events?order=desc&limit=1`);
    if (last.data[0]?.type === "session.status_idle") return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for session ${sessionId} to go idle`);
    await sleep(50); // polled gently: the viewers are still being measured
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const userMessage = (text: string) => ({ events: [{ type: "user.message", content: [{ type: "text", text }] }] });
