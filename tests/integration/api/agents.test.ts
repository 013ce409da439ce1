import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/open-database";
import { newId } from "@/lib/ids";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { collect, failure, RFC3339, sdkClient, type TCall } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

/**
 * The agent endpoints through the official SDK, unchanged, against the real server. Clients keep
 * the SDK's default retries (2) and count the requests they send, so a retried request shows.
 */
const UNKNOWN_AGENT = newId("agent");

describe("agents through the official SDK", () => {
  let server: AppServer;
  let client: Anthropic;
  let calls: TCall[];

  beforeAll(async () => {
    server = await startAppServer();
    ({ client, calls } = sdkClient(server));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("creates an agent in the response shape, with defaults filled in, and reads it back", async () => {
    const agent = await client.beta.agents.create({
      name: "Researcher",
      model: { id: "claude-test", effort: "high" },
      system: "Be thorough.",
      tools: [
        { type: "agent_toolset_20260401", configs: [{ name: "bash", permission_policy: { type: "always_ask" } }] },
        { type: "custom", name: "lookup", description: "Look a word up", input_schema: { type: "object", properties: { word: { type: "string" } } } },
      ],
      metadata: { team: "search" },
    });
    expect(agent).toEqual({
      id: expect.stringMatching(/^agent_[0-9A-Z]{26}$/),
      type: "agent",
      name: "Researcher",
      description: null,
      system: "Be thorough.",
      model: { id: "claude-test", effort: { type: "high" } },
      tools: [
        {
          type: "agent_toolset_20260401",
          default_config: { enabled: true, permission_policy: { type: "always_allow" } },
          configs: [{ name: "bash", type: "bash", enabled: true, permission_policy: { type: "always_ask" } }],
        },
        { type: "custom", name: "lookup", description: "Look a word up", input_schema: { type: "object", properties: { word: { type: "string" } } } },
      ],
      mcp_servers: [],
      skills: [],
      metadata: { team: "search" },
      multiagent: null,
      execution_identity: { type: "service_account" },
      version: 1,
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
      archived_at: null,
    });
    expect(await client.beta.agents.retrieve(agent.id)).toEqual(agent);
    const bare = await client.beta.agents.create({ name: "Bare", model: "claude-test" });
    expect(bare).toMatchObject({ model: { id: "claude-test" }, tools: [], system: null, metadata: {} });
  });

  it("writes a new version for each real change, none for an update that changes nothing", async () => {
    const v1 = await client.beta.agents.create({ name: "Writer", model: "claude-test", system: "First.", metadata: { a: "1", b: "2" } });
    const v2 = await client.beta.agents.update(v1.id, { system: "Second." });
    expect(v2).toMatchObject({ id: v1.id, version: 2, system: "Second.", name: "Writer", metadata: { a: "1", b: "2" }, created_at: v1.created_at });

    const same = await client.beta.agents.update(v1.id, { system: "Second.", name: "Writer", metadata: { a: "1" } });
    expect(same).toEqual(v2);

    const v3 = await client.beta.agents.update(v1.id, { metadata: { a: null, c: "3" }, description: "now described" });
    expect(v3).toMatchObject({ version: 3, metadata: { b: "2", c: "3" }, description: "now described", system: "Second." });
    const v4 = await client.beta.agents.update(v1.id, { description: "", system: null, model: { id: "claude-other", speed: "fast" } });
    expect(v4).toMatchObject({ version: 4, description: null, system: null, model: { id: "claude-other", speed: "fast" } });

    expect(await client.beta.agents.retrieve(v1.id)).toEqual(v4);
    expect(await client.beta.agents.retrieve(v1.id, { version: 1 })).toMatchObject({ version: 1, system: "First.", metadata: { a: "1", b: "2" }, model: { id: "claude-test" } });
    expect(await client.beta.agents.retrieve(v1.id, { version: 2 })).toMatchObject({ version: 2, system: "Second.", updated_at: v2.updated_at });
    const missing = await failure(client.beta.agents.retrieve(v1.id, { version: 5 }));
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);

    calls.length = 0;
    const versions = await collect(client.beta.agents.versions.list(v1.id, { limit: 3 }));
    expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions[1]).toEqual(v3);
    expect(calls.map((c) => c.url.searchParams.get("limit"))).toEqual(["3", "3"]); // two pages, then next_page: null
  });

  it("refuses an update against a stale version with a 409 that the SDK does not retry", async () => {
    const agent = await client.beta.agents.create({ name: "Guarded", model: "claude-test" });
    const v2 = await client.beta.agents.update(agent.id, { version: 1, system: "one" });
    expect(v2.version).toBe(2);

    calls.length = 0;
    const conflict = await failure(client.beta.agents.update(agent.id, { version: 1, system: "stale" }));
    expect(conflict).toBeInstanceOf(Anthropic.ConflictError);
    expect(conflict.status).toBe(409);
    expect(conflict.apiMessage).toMatch(/current version is 2/);
    expect(conflict.headers?.get("x-should-retry")).toBe("false");
    expect(calls).toHaveLength(1);
    expect((await client.beta.agents.retrieve(agent.id)).system).toBe("one");
  });

  it("refuses bad requests with a 400 naming the field", async () => {
    const agent = await client.beta.agents.create({ name: "Strict", model: "claude-test" });
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.beta.agents.update(agent.id, { name: "" }), /^name: cannot be cleared/],
      [() => client.beta.agents.update(agent.id, { model: null } as never), /^model: cannot be cleared/],
      [() => client.beta.agents.create({ name: "x".repeat(257), model: "m" }), /^name: at most 256 characters/],
      [
        () => client.beta.agents.create({ name: "t", model: "m", tools: [{ type: "custom", name: "f", description: "", input_schema: { type: "string" } as never }] }),
        /^tools\[0\]\.input_schema\.type: must be "object"/,
      ],
      [() => client.beta.agents.create({ name: "t", model: "m", mcp_servers: [{ type: "url", name: "docs", url: "https://mcp.example.com" }] }), /^mcp_servers\[0\]: .*not referenced/],
      [() => client.beta.agents.create({ name: "t", model: "m", tools: [{ type: "agent_toolset_20260401", configs: [{ name: "rm" as never }] }] }), /^tools\[0\]\.configs\[0\]\.name:/],
      [() => client.beta.agents.create({ name: "t", model: "m", colour: "red" } as never), /unknown field "colour"/],
    ];
    for (const [request, message] of cases) {
      const error = await failure(request());
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect(error.apiMessage).toMatch(message);
    }
    const metadata = await failure(client.beta.agents.create({ name: "t", model: "m", metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }));
    expect(metadata.status).toBe(400);
    expect(metadata.errorCode).toBe("invalid_metadata");
    expect((await client.beta.agents.retrieve(agent.id)).version).toBe(1);
  });

  it("lists newest first, page by page until next_page is null, archived ones only on request", async () => {
    const earlier = Date.now(); // nothing created earlier may share the first one's millisecond
    await until("the clock to move past the millisecond of the agents created earlier", () => Date.now() > earlier, { intervalMs: 1 });
    const created = [];
    for (const name of ["one", "two", "three"]) created.push(await client.beta.agents.create({ name, model: "claude-test" }));
    const since = created[0]!.created_at;
    const ids = created.map((a) => a.id).reverse();

    calls.length = 0;
    const listed = await collect(client.beta.agents.list({ limit: 2, "created_at[gte]": since }));
    expect(listed.map((a) => a.id)).toEqual(ids);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.url.searchParams.get("page")).toBeTruthy();
    const first = await client.beta.agents.list({ limit: 2, "created_at[gte]": since });
    expect(first.next_page).toEqual(expect.any(String));
    expect((await client.beta.agents.list({ limit: 3, "created_at[gte]": since })).next_page).toBeNull();

    const archived = await client.beta.agents.archive(created[1]!.id);
    expect(archived.archived_at).toEqual(expect.stringMatching(RFC3339));
    expect((await collect(client.beta.agents.list({ "created_at[gte]": since }))).map((a) => a.id)).toEqual([ids[0], ids[2]]);
    expect((await collect(client.beta.agents.list({ "created_at[gte]": since, include_archived: true }))).map((a) => a.id)).toEqual(ids);
    expect(await collect(client.beta.agents.list({ "created_at[lte]": "2000-01-01T00:00:00Z" }))).toEqual([]);
    expect((await failure(client.beta.agents.list({ "created_at[gte]": "yesterday" }))).status).toBe(400);
  });

  it("archives: the agent stays readable, refuses updates, and archiving again changes nothing", async () => {
    const agent = await client.beta.agents.create({ name: "Old", model: "claude-test" });
    const archived = await client.beta.agents.archive(agent.id);
    expect(archived).toMatchObject({ id: agent.id, version: 1, archived_at: expect.stringMatching(RFC3339) });
    expect(await client.beta.agents.retrieve(agent.id)).toEqual(archived);
    expect(await client.beta.agents.archive(agent.id)).toEqual(archived);
    const refused = await failure(client.beta.agents.update(agent.id, { name: "New" }));
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused.apiMessage).toMatch(/archived/);
    expect((await collect(client.beta.agents.versions.list(agent.id))).map((v) => v.version)).toEqual([1]);
  });

  it("answers 404 for unknown and malformed ids alike", async () => {
    for (const id of [UNKNOWN_AGENT, "agent_nope", newId("environment"), "..%2f.."]) {
      for (const request of [
        () => client.beta.agents.retrieve(id),
        () => client.beta.agents.update(id, { name: "x" }),
        () => client.beta.agents.archive(id),
        () => client.beta.agents.versions.list(id),
      ]) {
        expect(await failure(request())).toBeInstanceOf(Anthropic.NotFoundError);
      }
    }
  });

  it("answers 401 without a valid API key", async () => {
    const { client: wrong } = sdkClient(server, "oma_not-a-real-key-0000000000");
    expect(await failure(wrong.beta.agents.list())).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(await failure(wrong.beta.agents.create({ name: "x", model: "m" }))).toBeInstanceOf(Anthropic.AuthenticationError);
    const missing = await fetch(`${server.url}/v1/agents`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});

const postgres = await requirePostgres("the agent team-isolation suite");

describe.runIf(postgres)("agents are invisible to other teams", () => {
  let server: AppServer;
  let teamA: Anthropic;
  let teamB: Anthropic;

  beforeAll(async () => {
    server = await startAppServer({ database: "postgres" });
    const db = await openDatabase({ kind: "postgres", url: server.databaseUrl!, poolSize: 2 }, { migrate: false });
    try {
      const team = await createTeam(db.prisma, { slug: "team-b", name: "Team B" });
      const key = await createApiKey(db.prisma, { teamId: team.id, name: "test" });
      teamB = sdkClient(server, key.key).client;
    } finally {
      await db.close();
    }
    teamA = sdkClient(server).client;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 404 to another team on every agent endpoint, and leaves the agent untouched", async () => {
    const agent = await teamA.beta.agents.create({ name: "A's agent", model: "claude-test" });
    const own = await teamB.beta.agents.create({ name: "B's agent", model: "claude-test" });
    for (const request of [
      () => teamB.beta.agents.retrieve(agent.id),
      () => teamB.beta.agents.retrieve(agent.id, { version: 1 }),
      () => teamB.beta.agents.update(agent.id, { name: "taken" }),
      () => teamB.beta.agents.update(agent.id, { version: 1, name: "taken" }),
      () => teamB.beta.agents.archive(agent.id),
      () => teamB.beta.agents.versions.list(agent.id),
    ]) {
      expect(await failure(request())).toBeInstanceOf(Anthropic.NotFoundError);
    }
    expect((await collect(teamB.beta.agents.list({ include_archived: true }))).map((a) => a.id)).toEqual([own.id]);
    expect((await collect(teamA.beta.agents.list({ include_archived: true }))).map((a) => a.id)).toEqual([agent.id]);
    expect(await teamA.beta.agents.retrieve(agent.id)).toEqual(agent);
    expect(await failure(teamA.beta.agents.retrieve(own.id))).toBeInstanceOf(Anthropic.NotFoundError);
  });
});
