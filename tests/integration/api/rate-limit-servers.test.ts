import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretToken } from "@/lib/ids";
import { redisLabel } from "@/lib/realtime/redis-clients";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from "@/tests/fixtures/postgres";
import { requireRedis, TEST_REDIS_URL } from "@/tests/fixtures/redis";

// Two real web servers with REDIS_URL on one PostgreSQL database: one API key's limit holds across
// both, as it would behind a load balancer. Without Redis each server would allow the whole burst.

const available = (await requireRedis("the two-server rate limit test")) && (await requirePostgres("the two-server rate limit test"));

const BURST = 6;

describe.runIf(available)("the rate limit across two web servers on one Redis", () => {
  let scratch: ScratchDatabase;
  let serverA: AppServer;
  let serverB: AppServer;
  // A new key (and database) per run: its id, which the limit is counted under, is this run's own.
  const apiKey = newSecretToken("oma_");

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const env = { DATABASE_URL: scratch.url, NEXTAUTH_SECRET: newSecretToken("test_"), REDIS_URL: TEST_REDIS_URL, BOOTSTRAP_API_KEY: apiKey, HARNESS_IN_PROCESS: "false", API_RATE_LIMIT_RPS: "1", API_RATE_LIMIT_BURST: String(BURST) };
    serverA = await startAppServer({ env });
    serverB = await startAppServer({ env });
  });

  afterAll(async () => {
    await serverB?.stop();
    await serverA?.stop();
    await scratch?.drop();
  });

  it("says the limit is shared through Redis", () => {
    expect(serverA.output()).toContain(`rate limit: 1 requests/s per API key, bursts of ${BURST}, shared through Redis at ${redisLabel(TEST_REDIS_URL)}`);
  });

  it("allows the burst once in all to requests alternating between the servers; the rest get 429", async () => {
    // Load the route on both servers first (a wrong key is refused before the limit is counted), so
    // that the requests below reach the limiter together, well within its one-second window.
    for (const server of [serverA, serverB]) {
      const warmUp = await fetch(`${server.url}/v1/agents`, { headers: { "x-api-key": "oma_not_a_key_of_this_server" } });
      expect(warmUp.status).toBe(401);
    }
    const servers = Array.from({ length: 2 * BURST }, (_, i) => (i % 2 === 0 ? serverA : serverB));
    const startedAt = performance.now();
    const statuses = await Promise.all(
      servers.map(async (server) => {
        const response = await fetch(`${server.url}/v1/agents`, { headers: { "x-api-key": apiKey } });
        await response.arrayBuffer();
        return { server: server === serverA ? "A" : "B", status: response.status };
      }),
    );
    const elapsedMs = performance.now() - startedAt;
    const seen = `${JSON.stringify(statuses)} in ${Math.round(elapsedMs)} ms`;
    // The windows are fixed (README, "Rate limit"): each one-second window the requests touch may
    // let one more through (1 request/s). Unshared, each server would let its own burst through: 12.
    const allowedAtMost = BURST + Math.ceil(elapsedMs / 1000);
    expect(allowedAtMost, seen).toBeLessThan(2 * BURST);
    const allowed = statuses.filter((s) => s.status === 200).length;
    expect(allowed, seen).toBeGreaterThanOrEqual(BURST);
    expect(allowed, seen).toBeLessThanOrEqual(allowedAtMost);
    expect(statuses.filter((s) => s.status === 429).length, seen).toBe(2 * BURST - allowed);
  });
});
