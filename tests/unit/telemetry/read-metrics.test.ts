import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { readMetrics } from "@/lib/telemetry/read-metrics";

const TOKEN = "metrics_token_0123456789abcdef";
const source = { token: TOKEN, prometheus: async () => "# TYPE up gauge\nup 1\n" };

describe("/metrics", () => {
  it("is not served without METRICS_TOKEN", async () => {
    expect((await readMetrics(undefined, `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("answers the Prometheus text to the token only", async () => {
    expect(await readMetrics(source, `Bearer ${TOKEN}`)).toEqual({ status: 200, body: "# TYPE up gauge\nup 1\n" });
    expect((await readMetrics(source, `bearer  ${TOKEN} `)).status).toBe(200);
    for (const authorization of [null, "", TOKEN, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`]) {
      const refused = await readMetrics(source, authorization);
      expect(refused.status).toBe(401);
      expect(refused.body).not.toContain("up 1");
    }
  });

  it("takes a token of 20 to 256 printable characters, and never echoes a wrong one", () => {
    expect(parseEnv({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN).toBe(TOKEN);
    expect(parseEnv({ METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
    expect(() => parseEnv({ METRICS_TOKEN: "short-secret" })).toThrow("METRICS_TOKEN must be 20 to 256 printable characters without spaces");
    expect(() => parseEnv({ METRICS_TOKEN: "short-secret" })).not.toThrow(/short-secret/);
  });
});
