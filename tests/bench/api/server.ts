/** The server under test for `npm run bench:api`: the production build, an agent, an environment, SDK clients. */
import Anthropic from "@anthropic-ai/sdk";
import { buildAppSync } from "@/scripts/build-app";
import { buildReason } from "@/scripts/build-reason";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { until } from "@/tests/fixtures/wait";
import { inPool } from "../harness/common";

export type TDatabase = "pglite" | "postgres";

export type TBenchServer = {
  app: AppServer;
  /** A new SDK client (its own instance, as a separate client program would have). */
  newClient(): Anthropic;
  agentId: string;
  environmentId: string;
};

export const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });
export const interrupt = () => ({ events: [{ type: "user.interrupt" as const }] });

/** Builds the app (`next build` and the server's bundle) when the build is missing or older than its sources. */
export function buildIfStale(): void {
  const reason = buildReason();
  if (!reason) return;
  console.log(`building the app (${reason})…`);
  buildAppSync();
}

/**
 * The real server on `database`, its harness calling the scripted Messages API at `modelUrl`, with
 * the rate limit out of the way. The agent has no tools: the model answers every message at once.
 */
export async function startBenchServer(database: TDatabase, modelUrl: string): Promise<TBenchServer> {
  const app = await startAppServer({
    database,
    env: { ANTHROPIC_API_KEY: "bench-key", ANTHROPIC_BASE_URL: modelUrl, API_RATE_LIMIT_RPS: "1000000", API_RATE_LIMIT_BURST: "1000000" },
  });
  const newClient = () => new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  const client = newClient();
  const agent = await client.beta.agents.create({ name: "bench agent", model: "claude-bench", system: "Answer briefly.", tools: [] });
  const environment = await client.beta.environments.create({ name: "bench environment" });
  return { app, newClient, agentId: agent.id, environmentId: environment.id };
}

/** Resolves once every session's log ends with `session.status_idle`: the harness has nothing left to do. */
export async function untilSettled(client: Anthropic, sessionIds: readonly string[], timeoutMs = 120_000): Promise<void> {
  let pending = [...sessionIds];
  await until(
    "every session to go idle",
    async () => {
      const last = await inPool(pending, 8, async (id) => (await client.beta.sessions.events.list(id, { order: "desc", limit: 1 })).data[0]?.type);
      pending = pending.filter((_, i) => last[i] !== "session.status_idle");
      return pending.length === 0;
    },
    { timeoutMs, intervalMs: 10 },
  );
}
