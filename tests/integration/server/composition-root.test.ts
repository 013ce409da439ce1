import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiRoute } from "@/lib/api/api-route";
import { MemoryRateLimiter } from "@/lib/api/rate-limiter";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { InMemoryFileStorage } from "@/lib/files/storage/in-memory-file-storage";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { InMemoryEventBus, type TBusMessage } from "@/lib/realtime/event-bus";
import { buildRoot, type TRoot } from "@/lib/server/composition-root";
import { VaultCipher } from "@/lib/vault/cipher";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { seedTeam } from "@/tests/fixtures/teams";

/**
 * The composition root the server boots, built here on in-memory parts (the session log, the work
 * queue, the event bus, the rate limit) beside an embedded database: the use-cases it hands out run
 * on exactly the parts it was given, and the /v1 wrapper works over it as over the booted one.
 */
describe("the composition root on in-memory parts", () => {
  let database: TTestDatabase;
  let root: TRoot;
  let store: InMemorySessionStore;
  let queue: InMemoryWorkQueue;
  let bus: InMemoryEventBus;
  let cipher: VaultCipher;
  let wakes = 0;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    queue = new InMemoryWorkQueue();
    store = new InMemorySessionStore({ workQueue: queue });
    bus = new InMemoryEventBus();
    cipher = new VaultCipher({ current: randomBytes(32) });
    root = buildRoot({
      db: database.db,
      store,
      bus,
      rateLimiter: new MemoryRateLimiter({ ratePerSecond: 2, burst: 2 }),
      wake: () => void (wakes += 1),
      cipher: () => cipher,
      authSecret: () => "composition-root-test-secret",
      files: { storage: new InMemoryFileStorage(), maxBytes: 1024 },
    });
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  /** A team with an agent and an environment, made through the root. */
  async function teamWithAgent() {
    const team = await seedTeam(database.db.prisma);
    const agent = await root.agents.create({ teamId: team.id, body: { name: "Researcher", model: "claude-test" } });
    const environment = await root.environments.create({ teamId: team.id, body: { name: "default" } });
    return { team, agent, environment };
  }

  it("answers its health check from the database it was given", async () => {
    expect(await root.health()).toEqual({ database: "pglite" });
  });

  it("creates an agent and a session, and a sent user.message lands in the given log, queued for a harness", async () => {
    const { team, agent, environment } = await teamWithAgent();
    expect((await root.agents.list({ teamId: team.id, query: new URLSearchParams() })).data.map((a) => a.id)).toEqual([agent.id]);

    const session = await root.sessions.create({ teamId: team.id, body: { agent: agent.id, environment_id: environment.id, title: "Through the root" } });
    expect(session).toMatchObject({ agent: { id: agent.id, version: 1 }, environment_id: environment.id, title: "Through the root" });
    // the session lives in the in-memory log the root was given, not in the database
    expect((await store.getSession(session.id))?.teamId).toBe(team.id);

    const wakesBefore = wakes;
    const sent = await root.sessions.send({
      teamId: team.id,
      sessionId: session.id,
      body: { events: [{ type: "user.message", content: [{ type: "text", text: "What is a composition root?" }] }] },
    });
    expect(sent.data).toHaveLength(1);

    const { data: events } = await root.sessions.listEvents({ teamId: team.id, sessionId: session.id, query: new URLSearchParams() });
    expect(events).toEqual([expect.objectContaining({ id: sent.data[0]!.id, type: "user.message", content: [{ type: "text", text: "What is a composition root?" }] })]);
    // the append queued the session on the given queue, and the root told the worker at once
    expect(wakes).toBe(wakesBefore + 1);
    expect(await queue.claim("worker_test", 30_000)).toMatchObject({ sessionId: session.id });
  });

  it("keeps another team's session out of reach: the same 404 as an unknown one", async () => {
    const { team, agent, environment } = await teamWithAgent();
    const other = await seedTeam(database.db.prisma);
    const session = await root.sessions.create({ teamId: team.id, body: { agent: agent.id, environment_id: environment.id } });

    const send = root.sessions.send({ teamId: other.id, sessionId: session.id, body: { events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] } });
    await expect(send).rejects.toMatchObject({ code: "not_found" });
    await expect(root.sessions.get({ teamId: other.id, sessionId: session.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await store.getEvents(session.id, {})).toEqual([]);
  });

  it("publishes a deletion on the bus it was given", async () => {
    const { team, agent, environment } = await teamWithAgent();
    const session = await root.sessions.create({ teamId: team.id, body: { agent: agent.id, environment_id: environment.id } });
    // deleteSession removes the session's database row, which the Prisma store would have written
    // and the in-memory log does not: write it, as that store would
    await database.db.prisma.session.create({
      data: { id: session.id, teamId: team.id, agentId: agent.id, agentVersion: 1, agentSnapshot: {}, environmentId: environment.id, metadata: {}, vaultIds: [], resources: [], usage: {} },
    });
    const messages: TBusMessage[] = [];
    bus.subscribe(session.id, (message) => messages.push(message));

    expect(await root.sessions.delete({ teamId: team.id, sessionId: session.id })).toEqual({ id: session.id, type: "session_deleted" });
    expect(messages).toEqual([{ kind: "deleted" }]);
  });

  it("seals a credential's secret with the cipher it was given, and never returns it", async () => {
    const team = await seedTeam(database.db.prisma);
    const vault = await root.vaults.create({ teamId: team.id, body: { display_name: "Keys" } });
    const token = `secret-${randomBytes(8).toString("hex")}`;
    const credential = await root.credentials.create({
      teamId: team.id,
      vaultId: vault.id,
      body: { auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/mcp", token } },
    });
    expect(JSON.stringify(credential)).not.toContain(token);
    const row = await database.db.prisma.credential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(openSecrets(cipher, row)).toMatchObject({ token });
  });

  it("serves a /v1 route through the API wrapper bound to it: key check, rate limit, use-case", async () => {
    const { team, agent } = await teamWithAgent();
    const { key } = await root.apiKeys.create({ teamId: team.id, name: "test" });
    const GET = createApiRoute(() => root)((ctx) => ctx.useCases.agents.get({ teamId: ctx.teamId, agentId: ctx.params.agentId!, query: ctx.url.searchParams }));
    const call = (headers: Record<string, string>) => GET(new Request(`http://localhost/v1/agents/${agent.id}`, { headers }), { params: Promise.resolve({ agentId: agent.id }) });

    const missing = await call({});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { type: string } }).error.type).toBe("authentication_error");

    const ok = await call({ "x-api-key": key });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("request-id")).toMatch(/^req_/);
    expect(await ok.json()).toMatchObject({ id: agent.id, name: "Researcher" });

    // the limiter the root was given: 2 per second (fixed windows), so of 6 more requests made at
    // once, spanning at most two windows, no more than 4 pass
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => call({ authorization: `Bearer ${key}` })))).map((response) => response.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
  });

  it("gives next-auth the secret and the account use-cases it was given", async () => {
    const options = getAuthOptions(root);
    expect(options.secret).toBe("composition-root-test-secret");
    expect(getAuthOptions(root)).toBe(options);

    const email = `root-${randomBytes(4).toString("hex")}@example.com`;
    const { user } = await root.users.signUp({ name: "Ada", email, password: "analytical-engine" });
    expect(await root.users.authenticate({ email, password: "analytical-engine" })).toMatchObject({ id: user.id });
    expect(await root.users.authenticate({ email, password: "wrong-password" })).toBeNull();
    expect(await root.users.find({ id: user.id })).toEqual({ id: user.id, email, name: "Ada" });
  });
});
