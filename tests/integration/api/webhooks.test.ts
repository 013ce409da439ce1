import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { newId } from "@/lib/ids";
import { PrismaWebhookOutbox } from "@/lib/webhooks/prisma-outbox";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { rotateWebhookKeys } from "@/lib/webhooks/rotate-webhook-keys";
import { VaultCipher } from "@/lib/vault/cipher";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";

/**
 * Webhooks end to end: the real server on PostgreSQL (demo model) delivers to a receiver on this
 * machine (allowed by WEBHOOKS_ALLOW_PRIVATE=127.0.0.1, and only that address), which verifies
 * every request with the standardwebhooks package and the SDK's `webhooks.unwrap`. A session's run
 * produces its status webhooks; an agent's creation and a deployment's runs produce theirs (the
 * SDK's `BetaWebhook*EventData` shapes); a receiver that fails twice gets the third attempt after the
 * (shortened) backoff; a resend sends the same event again; a receiver that never answers holds
 * nothing up; private URLs and other teams' ids are refused.
 */
const available = await requirePostgres("the webhooks suite");
const VAULT_KEY = randomBytes(32);

type TReceived = { path: string; headers: Record<string, string>; body: string; at: number };
type TEnvelope = { id: string; type: string; created_at: string; data: { type: string; id: string; organization_id: string; workspace_id: string } };

describe.runIf(available)("webhooks", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let strangerKey: string;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: TReceived[] = [];
  const failuresLeft = new Map<string, number>([["/flaky", 2]]);

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const path = req.url ?? "";
        received.push({ path, headers: req.headers as Record<string, string>, body, at: Date.now() });
        if (path === "/hang") return; // never answers
        const left = failuresLeft.get(path) ?? 0;
        if (left > 0) {
          failuresLeft.set(path, left - 1);
          res.writeHead(503).end("try later");
          return;
        }
        res.writeHead(200, { "content-type": "text/plain" }).end(`thanks for ${path}`);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    app = await startAppServer({
      database: "postgres",
      env: { VAULT_KEY: VAULT_KEY.toString("base64"), WEBHOOKS_ALLOW_PRIVATE: "127.0.0.1", WEBHOOKS_RETRY_BASE_MS: "300", WEBHOOKS_POLL_MS: "50", WEBHOOKS_TIMEOUT_MS: "1500" },
    });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "webhook-strangers", name: "Strangers" });
    strangerKey = (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key;
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const call = async (method: string, path: string, body?: unknown, key = app.apiKey) => {
    const response = await fetch(`${app.url}${path}`, { method, headers: { "x-api-key": key, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  const register = async (path: string, eventTypes: string[]) => {
    const created = await call("POST", "/v1/webhooks", { url: `${receiverUrl}${path}`, event_types: eventTypes });
    expect(created.status).toBe(200);
    return created.json as { id: string; secret: string };
  };
  /** The requests of `path` about `subject`, each verified with the endpoint's secret by both libraries. */
  const verified = (path: string, secret: string, subject: string) =>
    received
      .filter((r) => r.path === path)
      .map((r) => {
        const byPackage = new Webhook(secret).verify(r.body, r.headers) as TEnvelope;
        expect(client.beta.webhooks.unwrap(r.body, { headers: r.headers, key: secret })).toEqual(byPackage);
        expect(r.headers["webhook-id"]).toBe(byPackage.id);
        return { ...r, envelope: byPackage };
      })
      .filter((r) => r.envelope.data.id === subject);

  let sessionId: string;
  let flaky: { id: string; secret: string };

  it("registers an endpoint, shows its secret once and keeps it sealed", async () => {
    const created = await register("/first", ["session.created"]);
    expect(created).toEqual({ id: expect.stringMatching(/^whep_[0-9A-Z]{26}$/), type: "webhook", url: `${receiverUrl}/first`, description: "", event_types: ["session.created"], created_at: expect.any(String), secret: expect.stringMatching(/^whsec_/) });
    const read = await call("GET", `/v1/webhooks/${created.id}`);
    expect(read.json).not.toHaveProperty("secret");
    expect((await call("GET", "/v1/webhooks")).json.data.map((w: { id: string }) => w.id)).toContain(created.id);
    const row = await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(Buffer.from(row.secretCiphertext).toString("latin1")).not.toContain(created.secret.slice(6, 20));
    expect(app.output()).not.toContain(created.secret);
    expect((await call("DELETE", `/v1/webhooks/${created.id}`)).json).toEqual({ id: created.id, type: "webhook_deleted" });
    expect((await call("GET", `/v1/webhooks/${created.id}`)).status).toBe(404);
  });

  it("delivers a session's creation and status changes, signed, while an endpoint that never answers holds nothing up", async () => {
    const statuses = await register("/statuses", ["session.created", "session.status_run_started", "session.status_idled"]);
    const hanging = await register("/hang", ["session.status_run_started"]);
    flaky = await register("/flaky", ["session.archived"]);
    const agent = await client.beta.agents.create({ name: "hooked", model: "claude-demo" } as never);
    const environment = await client.beta.environments.create({ name: "hooks" });
    sessionId = (await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id })).id;
    await client.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "hello" }] }] });
    const types = await until(
      "the session's three webhooks",
      () => {
        const got = verified("/statuses", statuses.secret, sessionId).map((r) => r.envelope.data.type);
        return got.length >= 3 && got;
      },
      { timeoutMs: 30_000, detail: () => app.output() },
    );
    expect([...types].sort()).toEqual(["session.created", "session.status_idled", "session.status_run_started"]);
    const [one] = verified("/statuses", statuses.secret, sessionId);
    const team = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { teamId: true } });
    expect(one!.envelope).toMatchObject({ type: "event", id: expect.stringMatching(/^wevt_/), data: { organization_id: team.teamId, workspace_id: team.teamId } });
    // the session went idle although /hang has not answered its request
    expect((await client.beta.sessions.retrieve(sessionId)).status).toBe("idle");

    const deliveries = (await call("GET", `/v1/webhooks/${statuses.id}/deliveries`)).json.data as Array<Record<string, any>>;
    expect(deliveries).toHaveLength(3);
    for (const d of deliveries) expect(d).toMatchObject({ type: "webhook_delivery", status: "delivered", attempts: 1, response_status: 200, response_body: "thanks for /statuses", error: null });
    const hung = await until("the unanswered attempt to be recorded", async () => {
      const [d] = (await call("GET", `/v1/webhooks/${hanging.id}/deliveries`)).json.data as Array<Record<string, any>>;
      return d && d.attempts >= 1 && d;
    }, { timeoutMs: 15_000 });
    expect(hung).toMatchObject({ status: "pending", response_status: null, error: "no answer within 1500 ms" });
    await call("DELETE", `/v1/webhooks/${hanging.id}`);
  });

  it("delivers the team's other objects' events, agent.created and deployment_run.*, in the SDK's data shape", async () => {
    const objects = await register("/objects", ["agent.created", "deployment_run.started", "deployment_run.succeeded", "deployment_run.failed"]);
    const teamId = (await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { teamId: true } })).teamId;
    const agent = await client.beta.agents.create({ name: "deployed", model: "claude-demo" } as never);
    const environment = await client.beta.environments.create({ name: "deployments" });
    const deployment = await client.beta.deployments.create({ agent: agent.id, environment_id: environment.id, name: "hooked", initial_events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] });
    const ok = await client.beta.deployments.run(deployment.id);
    await client.beta.agents.archive(agent.id);
    const failed = await client.beta.deployments.run(deployment.id);
    expect(((failed as unknown as { error: { type: string } }).error).type).toBe("agent_archived_error");
    const dataOf = (subject: string) => verified("/objects", objects.secret, subject).map((r) => r.envelope.data);
    await until("the four webhooks", () => dataOf(agent.id).length + dataOf(ok.id).length + dataOf(failed.id).length >= 5, { timeoutMs: 30_000, detail: () => app.output() });
    const shape = (type: string, id: string) => ({ type, id, organization_id: teamId, workspace_id: teamId });
    expect(dataOf(agent.id)).toEqual([shape("agent.created", agent.id)]);
    expect(dataOf(ok.id).sort((a, b) => a.type.localeCompare(b.type))).toEqual([shape("deployment_run.started", ok.id), shape("deployment_run.succeeded", ok.id)]);
    expect(dataOf(failed.id).sort((a, b) => a.type.localeCompare(b.type))).toEqual([shape("deployment_run.failed", failed.id), shape("deployment_run.started", failed.id)]);
    // not subscribed: the environment's and the deployment's own events were not sent here
    expect(dataOf(environment.id).concat(dataOf(deployment.id))).toEqual([]);
    await call("DELETE", `/v1/webhooks/${objects.id}`);
  });

  it("tries a failing receiver again with backoff until it takes the event, and resends on request", async () => {
    await client.beta.sessions.archive(sessionId);
    const attempts = await until("three attempts at /flaky", () => {
      const got = verified("/flaky", flaky.secret, sessionId);
      return got.length >= 3 && got;
    }, { timeoutMs: 30_000, detail: () => app.output() });
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.envelope.id)).size).toBe(1); // one event, the same webhook-id each time
    expect(attempts[0]!.envelope.data.type).toBe("session.archived");
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(250); // 300 ms, then 900 ms
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(800);
    const [delivery] = await until("the delivery to be recorded", async () => {
      const list = (await call("GET", `/v1/webhooks/${flaky.id}/deliveries`)).json.data as Array<Record<string, any>>;
      return list[0]?.status === "delivered" && list;
    });
    expect(delivery).toMatchObject({ event_type: "session.archived", attempts: 3, response_status: 200, payload: attempts[0]!.envelope });

    const resent = await call("POST", `/v1/webhooks/${flaky.id}/deliveries/${delivery!.id}/resend`);
    expect(resent.json).toMatchObject({ id: delivery!.id, status: "pending" });
    await until("the resent request", () => verified("/flaky", flaky.secret, sessionId).length === 4);
    expect(verified("/flaky", flaky.secret, sessionId)[3]!.envelope).toEqual(attempts[0]!.envelope);
    await until("the resend to be recorded", async () => (await call("GET", `/v1/webhooks/${flaky.id}/deliveries`)).json.data[0].attempts === 4);
  });

  it("leases each due delivery to one process at a time: another process's claims never take what the server took", async () => {
    const many = await register("/many", ["session.created"]);
    const teamId = (await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: many.id } })).teamId;
    const sessions = Array.from({ length: 30 }, () => newId("session"));
    await Promise.all(sessions.map((sessionId) => recordWebhookEvent(db.prisma, { teamId, sessionId, type: "session.created" })));
    // two more dispatchers, in this process, claiming against the server's own
    const [a, b] = [new PrismaWebhookOutbox(db.prisma), new PrismaWebhookOutbox(db.prisma)];
    const [x, y] = await Promise.all([a.claim({ owner: "test-a", limit: 30, leaseMs: 60_000 }), b.claim({ owner: "test-b", limit: 30, leaseMs: 60_000 })]);
    const ours = [...x, ...y].filter((d) => d.endpointId === many.id);
    expect(new Set(ours.map((d) => d.id)).size).toBe(ours.length);
    const outcome = { ok: true, responseStatus: 200, responseBody: "recorded by the test", error: null };
    for (const d of x) {
      expect(await a.record({ id: d.id, owner: "test-b", outcome, retryInMs: null })).toBe(false); // not its lease
      expect(await a.record({ id: d.id, owner: "test-a", outcome, retryInMs: null })).toBe(true);
    }
    for (const d of y) expect(await b.record({ id: d.id, owner: "test-b", outcome, retryInMs: null })).toBe(true);
    await until("every delivery to be delivered", async () => (await db.prisma.webhookDelivery.count({ where: { endpointId: many.id, status: "delivered" } })) === 30, { timeoutMs: 20_000 });
    const sent = received.filter((r) => r.path === "/many").map((r) => r.headers["webhook-id"]!);
    expect(new Set(sent).size).toBe(sent.length); // the server sent none twice
    const taken = new Set(ours.map((d) => d.eventId));
    expect(sent.filter((id) => taken.has(id))).toEqual([]); // nor any that the other claimants held
    expect(sent.length + ours.length).toBe(30);
    await call("DELETE", `/v1/webhooks/${many.id}`);
  });

  it("refuses private and malformed URLs and unknown event types with a 400 naming the field, writing nothing", async () => {
    const before = await db.prisma.webhookEndpoint.count();
    const cases: Array<[unknown, RegExp]> = [
      [{ url: "http://10.1.2.3/hook", event_types: ["session.created"] }, /^url: resolves to a loopback, private or link-local address/],
      [{ url: "http://169.254.169.254/latest", event_types: ["session.created"] }, /^url: resolves to a loopback/],
      [{ url: "http://[::1]:8080/", event_types: ["session.created"] }, /^url: resolves to a loopback/],
      [{ url: "ftp://example.com/", event_types: ["session.created"] }, /^url: must be an absolute http/],
      [{ url: `${receiverUrl}/x`, event_types: ["session.status_idle"] }, /^event_types\[0\]: must be one of/],
      [{ url: `${receiverUrl}/x`, event_types: [] }, /^event_types: must name at least one/],
      [{ url: `${receiverUrl}/x`, event_types: ["session.created"], secret: "mine" }, /^body: unknown field "secret"/],
    ];
    for (const [body, message] of cases) {
      const answer = await call("POST", "/v1/webhooks", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.message).toMatch(message);
    }
    expect(await db.prisma.webhookEndpoint.count()).toBe(before);
  });

  it("answers 404 to another team on every webhook endpoint, and changes nothing", async () => {
    const [delivery] = (await call("GET", `/v1/webhooks/${flaky.id}/deliveries`)).json.data as Array<{ id: string; attempts: number }>;
    const attempts: Array<[string, string]> = [
      ["GET", `/v1/webhooks/${flaky.id}`],
      ["DELETE", `/v1/webhooks/${flaky.id}`],
      ["GET", `/v1/webhooks/${flaky.id}/deliveries`],
      ["POST", `/v1/webhooks/${flaky.id}/deliveries/${delivery!.id}/resend`],
    ];
    for (const [method, path] of attempts) {
      const answer = await call(method, path, undefined, strangerKey);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.error.type).toBe("not_found_error");
    }
    expect((await call("GET", "/v1/webhooks", undefined, strangerKey)).json.data).toEqual([]);
    expect((await call("GET", `/v1/webhooks/${flaky.id}/deliveries`)).json.data[0]).toMatchObject({ id: delivery!.id, status: "delivered", attempts: delivery!.attempts });
  });

  it("re-seals signing secrets under a new vault key (npm run vault:rotate-key), leaving what does not open", async () => {
    const kept = await register("/kept", ["session.created"]);
    const next = randomBytes(32);
    const rotated = await rotateWebhookKeys(db.prisma, new VaultCipher({ current: next, previous: [VAULT_KEY] }));
    expect(rotated).toMatchObject({ rotated: await db.prisma.webhookEndpoint.count(), failed: [] });
    const row = await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: kept.id } });
    expect(new VaultCipher({ current: next }).decrypt({ ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyId: row.keyId }, row.id)).toBe(kept.secret);
    expect(await rotateWebhookKeys(db.prisma, new VaultCipher({ current: next }))).toMatchObject({ rotated: 0, failed: [] }); // idempotent
    const unknown = await rotateWebhookKeys(db.prisma, new VaultCipher({ current: randomBytes(32) }));
    expect(unknown.failed.map((f) => f.id)).toContain(kept.id);
    expect(unknown.failed[0]!.reason).toMatch(/^webhook whep_\w+ is encrypted with key \w+, which is not configured/);
    await call("DELETE", `/v1/webhooks/${kept.id}`);
  });
});
