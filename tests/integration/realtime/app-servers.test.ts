import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretToken } from "@/lib/ids";
import { redisLabel } from "@/lib/realtime/redis-clients";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from "@/tests/fixtures/postgres";
import { requireRedis, TEST_REDIS_URL } from "@/tests/fixtures/redis";
import { range, settle, TestViewer, waitFor } from "./realtime-helpers";

// The real server, twice, with REDIS_URL and one PostgreSQL database: server A runs the harness,
// server B does not. A viewer on B watches a turn that A's harness drives, live.

const available = (await requireRedis("the two-server realtime test")) && (await requirePostgres("the two-server realtime test"));

describe.runIf(available)("two web servers sharing Redis", () => {
  let scratch: ScratchDatabase;
  let serverA: AppServer;
  let serverB: AppServer;
  const apiKey = newSecretToken("oma_");
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const env = { DATABASE_URL: scratch.url, NEXTAUTH_SECRET: newSecretToken("test_"), REDIS_URL: TEST_REDIS_URL, BOOTSTRAP_API_KEY: apiKey };
    serverA = await startAppServer({ env });
    serverB = await startAppServer({ env: { ...env, HARNESS_IN_PROCESS: "false" } });
  });

  afterAll(async () => {
    viewers.forEach((v) => v.close());
    await serverB?.stop();
    await serverA?.stop();
    await scratch?.drop();
  });

  const api = async (server: AppServer, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string };
  };

  it("says it shares live events through Redis", () => {
    expect(serverA.output()).toContain(`realtime: Redis at ${redisLabel(TEST_REDIS_URL)}`);
  });

  it("shows a viewer on one server, live, the turn another server's harness drives", async () => {
    const agent = await api(serverB, "/v1/agents", { name: "live", model: "claude-test", tools: [] });
    const environment = await api(serverB, "/v1/environments", { name: "live env" });
    const session = await api(serverB, "/v1/sessions", { agent: agent.id, environment_id: environment.id });
    const onB = new TestViewer(serverB.url, apiKey);
    const onA = new TestViewer(serverA.url, apiKey);
    viewers.push(onB, onA);
    expect(await onB.join(session.id)).toEqual({ ok: true, lastSeq: 0 });
    expect(await onA.join(session.id)).toEqual({ ok: true, lastSeq: 0 });

    await api(serverB, `/v1/sessions/${session.id}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "hello there, live viewers" }] }] });
    const idle = (v: TestViewer) => v.events.some((e) => e.type === "session.status_idle");
    await waitFor("the end of the turn on both servers", () => idle(onA) && idle(onB), 30_000);
    await settle();
    expect(onB.seqs()).toEqual(range(1, onB.lastSeq()));
    expect(onB.events.map((e) => e.id)).toEqual(onA.events.map((e) => e.id));
    expect(onB.events.map((e) => e.type)).toContain("agent.message");
    // token deltas are never stored: they reach server B only through Redis
    expect(onB.previews.some((p) => p.preview.type === "event_delta")).toBe(true);
    // the same key on both servers: one viewer
    expect(onB.viewerNames(session.id)).toEqual(["bootstrap (BOOTSTRAP_API_KEY)"]);
  });
});
