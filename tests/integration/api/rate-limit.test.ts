import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";

/** The per-key rate limit, end to end: 429 in the envelope with retry-after, then allowed again. */
describe("rate limit", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ env: { API_RATE_LIMIT_RPS: "1", API_RATE_LIMIT_BURST: "3" } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("answers 429 with retry-after past the burst, and the SDK's RateLimitError", async () => {
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${app.url}/v1/agents`, { headers: { "x-api-key": app.apiKey } });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });

    const client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    await expect(client.beta.agents.list()).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await new Promise((r) => setTimeout(r, 2100)); // two tokens back at 1/s
    expect((await client.beta.agents.list()).data).toEqual([]);
  });
});
