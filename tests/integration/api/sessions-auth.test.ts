import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/teams/api-keys/revoke-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";

/**
 * Team isolation for sessions and their events: another team's key gets 404 for every session
 * endpoint — the same answer as for an id that does not exist — and a missing, wrong or revoked key
 * gets 401. Both keys go through the official SDK, as `x-api-key` and as `Authorization: Bearer`.
 */
const available = await requirePostgres("the session authorization suite");

describe.runIf(available)("session endpoints are scoped to the key's team", () => {
  let app: AppServer;
  let db: Database;
  let owner: Anthropic;
  let stranger: Anthropic;
  let sessionId: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "strangers", name: "Strangers" });
    const { key } = await createApiKey(db.prisma, { teamId: team.id, name: "test" });
    owner = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: key, baseURL: app.url, maxRetries: 0 });
    const agent = await owner.beta.agents.create({ name: "private", model: "claude-test" } as never);
    const environment = await owner.beta.environments.create({ name: "private" });
    sessionId = (await owner.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: "secret plans" })).id;
    await owner.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "for my team only" }] }] });
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  const attempts = (c: Anthropic) => ({
    retrieve: () => c.beta.sessions.retrieve(sessionId),
    update: () => c.beta.sessions.update(sessionId, { title: "mine now" }),
    archive: () => c.beta.sessions.archive(sessionId),
    delete: () => c.beta.sessions.delete(sessionId),
    "events.list": () => c.beta.sessions.events.list(sessionId),
    "events.send": () => c.beta.sessions.events.send(sessionId, { events: [{ type: "user.interrupt" }] }),
    "events.stream": () => c.beta.sessions.events.stream(sessionId),
    // every session has a primary thread (`sesn_X` → `sthr_X`)
    "threads.list": () => c.beta.sessions.threads.list(sessionId),
    "threads.retrieve": () => c.beta.sessions.threads.retrieve(primaryThread(), { session_id: sessionId }),
    "threads.archive": () => c.beta.sessions.threads.archive(primaryThread(), { session_id: sessionId }),
    "threads.events.list": () => c.beta.sessions.threads.events.list(primaryThread(), { session_id: sessionId }),
    "threads.events.stream": () => c.beta.sessions.threads.events.stream(primaryThread(), { session_id: sessionId }),
  });
  const primaryThread = () => `sthr_${sessionId.slice("sesn_".length)}`;

  it("answers 404 to another team's key on every session endpoint, and leaves the session untouched", async () => {
    for (const [name, call] of Object.entries(attempts(stranger))) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(Anthropic.NotFoundError);
      expect((error as InstanceType<typeof Anthropic.APIError>).message, name).not.toContain("secret plans");
    }
    const unknown = await stranger.beta.sessions.retrieve("sesn_01ABCDEFGHJKMNPQRSTVWXYZ00").catch((e: unknown) => e);
    expect((unknown as InstanceType<typeof Anthropic.APIError>).status).toBe(404);
    const list = await stranger.beta.sessions.list();
    expect(list.data.map((s) => s.id)).not.toContain(sessionId);

    const session = await owner.beta.sessions.retrieve(sessionId);
    expect(session).toMatchObject({ title: "secret plans", archived_at: null });
    const events = await owner.beta.sessions.events.list(sessionId);
    expect(events.data.map((e) => e.type)).not.toContain("user.interrupt");
  });

  it("answers 401 to a missing, wrong or revoked key", async () => {
    const missing = await fetch(`${app.url}/v1/sessions/${sessionId}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const wrong = new Anthropic({ apiKey: "oma_not-a-real-key-at-all-000000000000", baseURL: app.url, maxRetries: 0 });
    for (const [name, call] of Object.entries(attempts(wrong))) {
      expect(await call().then(() => null, (e: unknown) => e), name).toBeInstanceOf(Anthropic.AuthenticationError);
    }
    const asHeader = await fetch(`${app.url}/v1/sessions/${sessionId}`, { headers: { "x-api-key": app.apiKey } });
    expect(asHeader.status).toBe(200);

    const team = await db.prisma.team.findUniqueOrThrow({ where: { slug: "strangers" } });
    const revocable = await createApiKey(db.prisma, { teamId: team.id, name: "short-lived" });
    const shortLived = new Anthropic({ apiKey: revocable.key, baseURL: app.url, maxRetries: 0 });
    expect((await shortLived.beta.sessions.list()).data).toEqual([]);
    await revokeApiKey(db.prisma, { teamId: team.id, id: revocable.id });
    await expect(shortLived.beta.sessions.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
