import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";

/**
 * The per-key rate limit of one server (no REDIS_URL: counted in the process), end to end: 429 in
 * the Anthropic envelope with retry-after, and the SDK's RateLimitError. When requests are let
 * through again is decided on a clock, tested on an injected one (tests/unit/api/rate-limiter.test.ts)
 * and on Redis's (rate-limit-redis.test.ts): no sleeping here.
 */
describe("rate limit", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ env: { API_RATE_LIMIT_RPS: "1", API_RATE_LIMIT_BURST: "3" } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("says where the limit is counted", () => {
    expect(app.output()).toContain("rate limit: 1 requests/s per API key, bursts of 3, counted in this process only");
  });

  it("answers 429 with retry-after past the burst, and the SDK's RateLimitError", async () => {
    // Load the route first (a wrong key is refused before the limit is counted), so that the
    // requests below reach the limiter together, well within its one-second window.
    expect((await fetch(`${app.url}/v1/agents`, { headers: { "x-api-key": "oma_not_a_key_of_this_server" } })).status).toBe(401);
    const startedAt = performance.now();
    const responses = await Promise.all(Array.from({ length: 8 }, () => fetch(`${app.url}/v1/agents`, { headers: { "x-api-key": app.apiKey } })));
    const elapsedMs = performance.now() - startedAt;
    // The burst of 3, plus one for each one-second window the requests touched (fixed windows,
    // README "Rate limits"): on a loaded machine 8 requests may straddle a window's end.
    const statuses = responses.map((r) => r.status);
    const allowed = statuses.filter((status) => status === 200).length;
    const seen = `${JSON.stringify(statuses)} in ${Math.round(elapsedMs)} ms`;
    expect(allowed, seen).toBeGreaterThanOrEqual(3);
    expect(allowed, seen).toBeLessThanOrEqual(Math.min(3 + Math.ceil(elapsedMs / 1000), 7));
    expect(statuses.filter((status) => status === 429).length, seen).toBe(8 - allowed);
    const limited = responses.find((r) => r.status === 429)!;
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error", message: expect.stringContaining("at most 1 requests per second") } });

    const client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    // 4 calls at once: at most one per one-second window gets through, the burst being spent
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => client.beta.agents.list()));
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const reason of refused) expect(reason).toBeInstanceOf(Anthropic.RateLimitError);
  });
});
