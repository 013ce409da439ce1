import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { createSession } from "@/lib/sessions/create-session";
import { listSessionFilters } from "@/lib/sessions/ui/list-session-filters";
import { listSessionRows, type TSessionListPage } from "@/lib/sessions/ui/list-session-rows";
import type { TSessionListQuery } from "@/lib/sessions/ui/session-list-query";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { agentMessage, newSessionInput, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { seedUser } from "@/tests/fixtures/teams";

// The sessions list's query (lib/sessions/ui/list-session-rows.ts) against each database: the
// first message kept by the database as events are appended, who started a session, search,
// filters, keyset pages both ways, and the names and costs on each row.

const postgres = await requirePostgres("the sessions list on PostgreSQL");

describe.each<TDatabaseKind>(["pglite", ...(postgres ? (["postgres"] as const) : [])])("the sessions list on %s", { timeout: 60_000 }, (kind) => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: PrismaSessionStore;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    prisma = database.db.prisma;
    store = new PrismaSessionStore(prisma);
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  const firstMessageOf = async (sessionId: string) => (await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { firstMessage: true } })).firstMessage;
  const list = (team: TSessionPrereqs, query: TSessionListQuery = {}, limit?: number) =>
    listSessionRows({ prisma }, { teamId: team.teamId, teamSlug: "t", query, limit });
  const ids = (page: TSessionListPage) => page.rows.map((row) => row.id);

  it("keeps the text of the first user message with the session, as it is appended", async () => {
    const team = await seedSessionPrereqs(prisma);
    const { id } = await store.createSession(newSessionInput(team));
    expect(await firstMessageOf(id)).toBeNull();
    await store.appendEvents(id, [agentMessage("an agent speaks first")]);
    expect(await firstMessageOf(id)).toBeNull();
    // no text yet (an image only): still nothing to show
    await store.appendEvents(id, [{ type: "user.message", content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }] }]);
    expect(await firstMessageOf(id)).toBeNull();
    await store.appendEvents(id, [userMessage("  Fix   the\n\nflaky   build  "), userMessage("and then this")]);
    expect(await firstMessageOf(id)).toBe("Fix the flaky build");
    await store.appendEvents(id, [userMessage("a later message changes nothing")]);
    expect(await firstMessageOf(id)).toBe("Fix the flaky build");

    const long = await store.createSession(newSessionInput(team));
    await store.appendEvents(long.id, [userMessage("word ".repeat(100))]);
    expect((await firstMessageOf(long.id))!.length).toBe(200);
  });

  it("records who started a session: the member, or the API key", async () => {
    const team = await seedSessionPrereqs(prisma);
    const user = await seedUser(prisma, "Ada");
    const body = { agent: team.agentId, environment_id: team.environmentId };
    const byMember = await createSession({ prisma, store }, { teamId: team.teamId, body, createdBy: user.id });
    const byKey = await createSession({ prisma, store }, { teamId: team.teamId, body, createdBy: "apikey_01TEST" });
    const byNobody = await createSession({ prisma, store }, { teamId: team.teamId, body });
    const rows = await prisma.session.findMany({ where: { id: { in: [byMember.id, byKey.id, byNobody.id] } }, select: { id: true, createdBy: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.createdBy]))).toEqual({ [byMember.id]: user.id, [byKey.id]: "apikey_01TEST", [byNobody.id]: null });
  });

  // the cost: the usage fold's exact list cost where it records one, else (usage folded before it did) an estimate from the tokens
  it("shows each row's title or first message, agent, starter and cost, reading no log", async () => {
    const team = await seedSessionPrereqs(prisma);
    const ada = await seedUser(prisma, "Ada");
    const key = { id: newId("apiKey"), name: "ci bot" };
    await prisma.apiKey.create({ data: { ...key, teamId: team.teamId, keyHash: key.id, hint: "abcd" } });
    const titled = await store.createSession(newSessionInput(team, { title: "Quarterly report" }));
    const untitled = await store.createSession(newSessionInput(team, { agentSnapshot: { name: "Sonnet writer", model: { id: "claude-sonnet-4-5" } } }));
    await store.appendEvents(untitled.id, [userMessage("Summarise the incident")]);
    await prisma.session.update({ where: { id: titled.id }, data: { createdBy: ada.id } });
    await prisma.session.update({
      where: { id: untitled.id },
      data: { createdBy: key.id, usage: { input_tokens: 1_000_000, output_tokens: 100_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
    });
    const page = await list(team);
    expect(page.rows.map(({ id, title, firstMessage, agentName, startedBy, costUsd, status, href }) => ({ id, title, firstMessage, agentName, startedBy, costUsd, status, href }))).toEqual([
      {
        id: untitled.id,
        title: null,
        firstMessage: "Summarise the incident",
        agentName: "Sonnet writer",
        startedBy: { kind: "api_key", id: key.id, name: "ci bot" },
        costUsd: 3 + 1.5, // 1M input at $3 + 100k output at $15 per million
        status: "idle",
        href: `/t/t/sessions/${untitled.id}`,
      },
      {
        id: titled.id,
        title: "Quarterly report",
        firstMessage: null,
        agentName: "test agent",
        startedBy: { kind: "member", id: ada.id, name: ada.name },
        costUsd: 0, // the fold's exact list cost of a session that made no model request
        status: "idle",
        href: `/t/t/sessions/${titled.id}`,
      },
    ]);
    expect(page).toMatchObject({ newer: null, older: null });
    // an exact list cost in the usage fold wins over the estimate
    await prisma.session.update({ where: { id: untitled.id }, data: { usage: { input_tokens: 5, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, list_cost_nano_usd: 12_340_000 } } });
    expect((await list(team)).rows[0]!.costUsd).toBeCloseTo(0.01234, 8);
    // a request of a model without a list price: the cost is unknown, not $0
    await prisma.session.update({ where: { id: titled.id }, data: { usage: { input_tokens: 5, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, list_cost_nano_usd: 0, unpriced_requests: 1 } } });
    expect((await list(team)).rows[1]!.costUsd).toBeNull();
  });

  it("searches titles and first messages, case-insensitively, with % and _ as plain characters", async () => {
    const team = await seedSessionPrereqs(prisma);
    const a = await store.createSession(newSessionInput(team, { title: "Deploy the API" }));
    const b = await store.createSession(newSessionInput(team));
    await store.appendEvents(b.id, [userMessage("Why did the deploy fail at 100%?")]);
    const c = await store.createSession(newSessionInput(team, { title: "Unrelated" }));
    await store.appendEvents(c.id, [userMessage("something_else entirely")]);
    expect(ids(await list(team, { q: "DEPLOY" }))).toEqual([b.id, a.id]);
    expect(ids(await list(team, { q: "100%" }))).toEqual([b.id]);
    expect(ids(await list(team, { q: "10%" }))).toEqual([]);
    expect(ids(await list(team, { q: "g_e" }))).toEqual([c.id]);
    expect(ids(await list(team, { q: "h_e" }))).toEqual([]); // `_` is not "any character"
    expect(ids(await list(team, { q: "nothing like it" }))).toEqual([]);
    const slash = await store.createSession(newSessionInput(team, { title: "C:\\temp\\logs" }));
    expect(ids(await list(team, { q: "\\temp\\" }))).toEqual([slash.id]);
  });

  it("filters by status, agent and who started it; leaves out archived sessions and other teams'", async () => {
    const team = await seedSessionPrereqs(prisma);
    const other = await seedSessionPrereqs(prisma);
    const secondAgent = newId("agent");
    await prisma.agent.create({
      data: { id: secondAgent, teamId: team.teamId, currentVersion: 1, versions: { create: { version: 1, name: "second", model: { id: "m" }, tools: [], mcpServers: [], skills: [], metadata: {} } } },
    });
    const ada = await seedUser(prisma, "Ada");
    const running = await store.createSession(newSessionInput(team));
    await prisma.session.update({ where: { id: running.id }, data: { status: "running", createdBy: ada.id } });
    const ofSecond = await store.createSession(newSessionInput(team, { agentId: secondAgent }));
    const archived = await store.createSession(newSessionInput(team));
    await prisma.session.update({ where: { id: archived.id }, data: { archivedAt: new Date(), createdBy: ada.id } });
    const idle = await store.createSession(newSessionInput(team));
    await store.createSession(newSessionInput(other));

    expect(ids(await list(team))).toEqual([idle.id, ofSecond.id, running.id]);
    expect(ids(await list(team, { status: "running" }))).toEqual([running.id]);
    expect(ids(await list(team, { status: "terminated" }))).toEqual([]);
    expect(ids(await list(team, { agent: secondAgent }))).toEqual([ofSecond.id]);
    expect(ids(await list(team, { by: ada.id }))).toEqual([running.id]);
    expect(ids(await list(team, { by: ada.id, status: "idle" }))).toEqual([]);
    // another team's agent filters to nothing, never to that team's sessions
    expect(ids(await list(team, { agent: other.agentId }))).toEqual([]);

    const filters = await listSessionFilters(prisma, { teamId: team.teamId });
    expect(filters.agents.map((a) => a.id).sort()).toEqual([team.agentId, secondAgent].sort());
  });

  it("pages by keyset, older and newer, with filters kept, and says when there is nothing further", async () => {
    const team = await seedSessionPrereqs(prisma);
    const made: string[] = [];
    for (let i = 1; i <= 7; i++) made.push((await store.createSession(newSessionInput(team, { title: `session ${i}` }))).id);
    const [s1, s2, s3, s4, s5, s6, s7] = made as [string, string, string, string, string, string, string];

    const first = await list(team, {}, 3);
    expect(ids(first)).toEqual([s7, s6, s5]);
    expect(first).toMatchObject({ newer: null, older: s5 });
    const second = await list(team, { after: first.older! }, 3);
    expect(ids(second)).toEqual([s4, s3, s2]);
    expect(second).toMatchObject({ newer: s4, older: s2 });
    const last = await list(team, { after: second.older! }, 3);
    expect(ids(last)).toEqual([s1]);
    expect(last).toMatchObject({ newer: s1, older: null });
    // and back
    const back = await list(team, { before: last.newer! }, 3);
    expect(ids(back)).toEqual([s4, s3, s2]);
    expect(back).toMatchObject({ newer: s4, older: s2 });
    const front = await list(team, { before: back.newer! }, 3);
    expect(ids(front)).toEqual([s7, s6, s5]);
    expect(front).toMatchObject({ newer: null, older: s5 });
    // past the newest: the first page
    expect(ids(await list(team, { before: s7 }, 3))).toEqual([s7, s6, s5]);

    // a filter keeps its pages
    await prisma.session.updateMany({ where: { id: { in: [s1, s3, s5, s7] } }, data: { status: "terminated" } });
    const t1 = await list(team, { status: "terminated" }, 2);
    expect(ids(t1)).toEqual([s7, s5]);
    const t2 = await list(team, { status: "terminated", after: t1.older! }, 2);
    expect(ids(t2)).toEqual([s3, s1]);
    expect(t2).toMatchObject({ newer: s3, older: null });
  });

  it("refuses a bad query given to it directly, naming the field", async () => {
    const team = await seedSessionPrereqs(prisma);
    for (const [query, field] of [
      [{ status: "sleeping" }, "query.status"],
      [{ agent: "not-an-agent" }, "query.agent"],
      [{ by: "team_123" }, "query.by"],
      [{ after: "sesn_' OR 1=1" }, "query.after"],
      [{ after: newId("session"), before: newId("session") }, "query.before"],
      [{ q: "x".repeat(201) }, "query.q"],
      [{ sort: "name" }, "query"],
    ] as const) {
      const error = await list(team, query as TSessionListQuery).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("invalid_request");
      expect((error as AppError).message.startsWith(`${field}:`)).toBe(true);
    }
  });
});
