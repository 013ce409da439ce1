import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { refreshMcpOAuthCredential } from "@/lib/mcp/refresh-mcp-oauth-credential";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { VaultCipher, vaultKeyId } from "@/lib/vault/cipher";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { loadCredentialSecrets } from "@/lib/vault/load-credential-secrets";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";
import { startOAuthTokenEndpoint } from "@/tests/fixtures/oauth-token-endpoint";
import { until } from "@/tests/fixtures/wait";

/**
 * Vaults and credentials through the official SDK against the real server on PostgreSQL: the wire
 * shapes, secrets that never come back (checked on the raw bytes of every response), what is
 * stored (ciphertext only), team isolation, authentication, and `npm run vault:rotate-key`.
 */
const available = await requirePostgres("the vault API suite");
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const SECRETS: string[] = [];
const secret = (label: string) => {
  const value = `${label}-${randomBytes(12).toString("hex")}`;
  SECRETS.push(value);
  return value;
};
const FUTURE = new Date(Date.now() + 7 * 86_400_000).toISOString();
type TApiError = InstanceType<typeof Anthropic.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TApiError);

describe.runIf(available)("vaults and credentials through the official SDK", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  const bodies: string[] = [];

  /** A client whose every response body is also kept, raw, for the secret check. */
  const recordingClient = (apiKey: string) =>
    new Anthropic({
      apiKey,
      baseURL: app.url,
      maxRetries: 0,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        bodies.push(await response.clone().text());
        return response;
      },
    });

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres", env: { VAULT_KEY: OLD_KEY.toString("base64"), VAULT_KEY_PREVIOUS: "" } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "vault-strangers", name: "Strangers" });
    client = recordingClient(app.apiKey);
    stranger = recordingClient((await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key);
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  const staticBearer = () => ({ type: "static_bearer" as const, mcp_server_url: `https://mcp-${randomBytes(4).toString("hex")}.example.com/mcp`, token: secret("bearer") });

  it("creates, reads, updates (metadata as a patch), lists in pages, archives and deletes vaults", async () => {
    const vault = await client.beta.vaults.create({ display_name: "Alice", metadata: { user: "u1", tier: "free" } });
    expect(vault).toEqual({
      id: expect.stringMatching(/^vlt_[0-9A-Z]{26}$/),
      type: "vault",
      display_name: "Alice",
      metadata: { user: "u1", tier: "free" },
      created_at: expect.any(String),
      updated_at: expect.any(String),
      archived_at: null,
    });
    expect(await client.beta.vaults.retrieve(vault.id)).toEqual(vault);

    const updated = await client.beta.vaults.update(vault.id, { display_name: "Alice B.", metadata: { tier: "pro", user: null, team: "t1" } });
    expect(updated).toMatchObject({ display_name: "Alice B.", metadata: { tier: "pro", team: "t1" } });
    expect(Object.keys(updated.metadata).sort()).toEqual(["team", "tier"]);
    expect((await client.beta.vaults.update(vault.id, { metadata: { extra: "1" } })).metadata).toEqual({ tier: "pro", team: "t1", extra: "1" });

    const more = [await client.beta.vaults.create({ display_name: "Bob" }), await client.beta.vaults.create({ display_name: "Carol" })];
    const first = await client.beta.vaults.list({ limit: 2 });
    expect(first.data.map((v) => v.id)).toEqual([more[1]!.id, more[0]!.id]);
    expect(first.next_page).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const v of client.beta.vaults.list({ limit: 2 })) all.push(v.id);
    expect(all).toEqual([more[1]!.id, more[0]!.id, vault.id]);
    const last = await client.beta.vaults.list({ limit: 2, page: first.next_page! });
    expect([last.data.length, last.next_page]).toEqual([1, null]);

    const archived = await client.beta.vaults.archive(more[0]!.id);
    expect(archived.archived_at).toEqual(expect.any(String));
    expect((await client.beta.vaults.archive(more[0]!.id)).archived_at).toBe(archived.archived_at);
    expect((await client.beta.vaults.list()).data.map((v) => v.id)).not.toContain(more[0]!.id);
    expect((await client.beta.vaults.list({ include_archived: true })).data.map((v) => v.id)).toContain(more[0]!.id);
    const archivedUpdate = await failure(client.beta.vaults.update(more[0]!.id, { display_name: "nope" }));
    expect([archivedUpdate?.status, archivedUpdate?.message]).toEqual([400, expect.stringContaining("is archived")]);
    const archivedCreate = await failure(client.beta.vaults.credentials.create(more[0]!.id, { auth: staticBearer() }));
    expect(archivedCreate?.status).toBe(400);
    expect(await db.prisma.credential.count({ where: { vaultId: more[0]!.id } })).toBe(0);

    await client.beta.vaults.credentials.create(more[1]!.id, { auth: staticBearer() });
    expect(await client.beta.vaults.delete(more[1]!.id)).toEqual({ id: more[1]!.id, type: "vault_deleted" });
    expect((await failure(client.beta.vaults.retrieve(more[1]!.id)))?.status).toBe(404);
    expect(await db.prisma.credential.count({ where: { vaultId: more[1]!.id } })).toBe(0);
  });

  it("refuses bad vault bodies with a message naming the field", async () => {
    const blank = await failure(client.beta.vaults.create({ display_name: "" }));
    expect([blank?.status, blank?.message]).toEqual([400, expect.stringContaining("display_name: must not be empty")]);
    const long = await failure(client.beta.vaults.create({ display_name: "x".repeat(256) }));
    expect(long?.message).toContain("display_name: at most 255 characters");
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    const tooMany = await failure(client.beta.vaults.create({ display_name: "m", metadata }));
    expect([tooMany?.status, (tooMany?.error as { error?: { details?: unknown } })?.error?.details]).toEqual([400, { error_code: "invalid_metadata" }]);
    const unknown = await failure(client.beta.vaults.create({ display_name: "m", name: "x" } as never));
    expect((unknown?.error as { error?: { message?: string } })?.error?.message).toBe('body: unknown field "name"');
  });

  it("stores each kind of credential, returns it without its secrets, and keeps only ciphertext in the database", async () => {
    const vault = await client.beta.vaults.create({ display_name: "credentials" });
    const bearer = staticBearer();
    const oauth = {
      type: "mcp_oauth" as const,
      mcp_server_url: "https://mcp.linear.example/sse",
      access_token: secret("access"),
      expires_at: FUTURE,
      refresh: {
        client_id: "linear-client",
        refresh_token: secret("refresh"),
        token_endpoint: "https://linear.example/oauth/token",
        token_endpoint_auth: { type: "client_secret_basic" as const, client_secret: secret("client") },
        scope: "read",
      },
    };
    const env = {
      type: "environment_variable" as const,
      secret_name: "STRIPE_API_KEY",
      secret_value: secret("env"),
      networking: { type: "limited" as const, allowed_hosts: ["api.stripe.com", "*.stripe.com"] },
      injection_location: { header: true, body: true },
    };
    const created = [
      await client.beta.vaults.credentials.create(vault.id, { auth: bearer, display_name: "GitHub MCP", metadata: { env: "prod" } }),
      await client.beta.vaults.credentials.create(vault.id, { auth: oauth }),
      await client.beta.vaults.credentials.create(vault.id, { auth: env }),
    ];
    expect(created[0]).toEqual({
      id: expect.stringMatching(/^vcrd_[0-9A-Z]{26}$/),
      type: "vault_credential",
      vault_id: vault.id,
      display_name: "GitHub MCP",
      auth: { type: "static_bearer", mcp_server_url: bearer.mcp_server_url },
      metadata: { env: "prod" },
      created_at: expect.any(String),
      updated_at: expect.any(String),
      archived_at: null,
    });
    expect(created[1]!.auth).toEqual({
      type: "mcp_oauth",
      mcp_server_url: oauth.mcp_server_url,
      expires_at: FUTURE,
      refresh: { client_id: "linear-client", token_endpoint: oauth.refresh.token_endpoint, token_endpoint_auth: { type: "client_secret_basic" }, scope: "read", resource: null },
    });
    expect(created[2]!.auth).toEqual({ type: "environment_variable", secret_name: "STRIPE_API_KEY", networking: env.networking, injection_location: { header: true, body: true } });
    expect(created[1]!.display_name).toBeNull();

    for (const c of created) expect(await client.beta.vaults.credentials.retrieve(c.id, { vault_id: vault.id })).toEqual(c);
    const listed: string[] = [];
    for await (const c of client.beta.vaults.credentials.list(vault.id, { limit: 2 })) listed.push(c.id);
    expect(listed).toEqual(created.map((c) => c.id).reverse());

    const rows = await db.prisma.credential.findMany({ where: { vaultId: vault.id } });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.keyId).toBe(vaultKeyId(OLD_KEY));
      const stored = [Buffer.from(row.secretCiphertext), Buffer.from(row.secretIv), Buffer.from(row.secretTag)];
      const texts = [JSON.stringify(row.auth), JSON.stringify(row.metadata), ...stored.flatMap((b) => [b.toString("utf8"), b.toString("latin1"), b.toString("base64"), b.toString("hex")])];
      for (const value of SECRETS) {
        for (const encoded of [value, Buffer.from(value).toString("base64"), Buffer.from(value).toString("hex")]) {
          expect(texts.some((t) => t.includes(encoded)), `${row.id} holds a secret as ${encoded.slice(0, 6)}…`).toBe(false);
        }
      }
    }
    const cipher = new VaultCipher({ current: OLD_KEY });
    const byId = new Map(rows.map((r) => [r.id, openSecrets(cipher, r)]));
    expect(byId.get(created[0]!.id)).toEqual({ token: bearer.token });
    expect(byId.get(created[1]!.id)).toEqual({ access_token: oauth.access_token, refresh_token: oauth.refresh.refresh_token, client_secret: oauth.refresh.token_endpoint_auth.client_secret });
    expect(byId.get(created[2]!.id)).toEqual({ secret_value: env.secret_value });
  });

  it("updates a credential within its type: new secrets replace old ones, others are kept, fixed fields stay fixed", async () => {
    const vault = await client.beta.vaults.create({ display_name: "updates" });
    const oauthAuth = {
      type: "mcp_oauth" as const,
      mcp_server_url: "https://mcp.notion.example/mcp",
      access_token: secret("access"),
      refresh: { client_id: "notion", refresh_token: secret("refresh"), token_endpoint: "https://notion.example/token", token_endpoint_auth: { type: "client_secret_post" as const, client_secret: secret("cs") } },
    };
    const oauth = await client.beta.vaults.credentials.create(vault.id, { auth: oauthAuth, display_name: "Notion" });
    const newAccess = secret("access2");
    const updated = await client.beta.vaults.credentials.update(oauth.id, {
      vault_id: vault.id,
      auth: { type: "mcp_oauth", access_token: newAccess, expires_at: FUTURE, refresh: { scope: "all" } },
      display_name: null,
      metadata: { rotated: "yes" },
    });
    expect(updated).toMatchObject({ display_name: null, metadata: { rotated: "yes" }, auth: { expires_at: FUTURE, refresh: { scope: "all", client_id: "notion" } } });
    const cipher = new VaultCipher({ current: OLD_KEY });
    const secrets = await loadCredentialSecrets(db.prisma, cipher, { teamId: (await db.prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).teamId, vaultIds: [vault.id] });
    expect(secrets.map((c) => c.secrets)).toEqual([{ access_token: newAccess, refresh_token: oauthAuth.refresh.refresh_token, client_secret: oauthAuth.refresh.token_endpoint_auth.client_secret }]);

    const env = await client.beta.vaults.credentials.create(vault.id, {
      auth: { type: "environment_variable", secret_name: "API_TOKEN", secret_value: secret("env"), networking: { type: "unrestricted" } },
    });
    const narrowed = await client.beta.vaults.credentials.update(env.id, {
      vault_id: vault.id,
      auth: { type: "environment_variable", networking: { type: "limited", allowed_hosts: ["api.example.com"] }, injection_location: { body: true } },
    });
    expect(narrowed.auth).toEqual({ type: "environment_variable", secret_name: "API_TOKEN", networking: { type: "limited", allowed_hosts: ["api.example.com"] }, injection_location: { header: true, body: true } });

    const refused = [
      [oauth.id, { type: "static_bearer", token: secret("x") }, "auth.type"],
      [oauth.id, { type: "mcp_oauth", mcp_server_url: "https://elsewhere.example/mcp" }, "auth.mcp_server_url: cannot be changed"],
      [oauth.id, { type: "mcp_oauth", refresh: { client_id: "other" } }, "auth.refresh.client_id: cannot be changed"],
      [env.id, { type: "environment_variable", secret_name: "RENAMED" }, "auth.secret_name: cannot be changed"],
      [env.id, { type: "environment_variable", networking: { type: "limited", allowed_hosts: ["https://x.example.com/path"] } }, "auth.networking.allowed_hosts[0]"],
    ] as const;
    for (const [id, auth, message] of refused) {
      const error = await failure(client.beta.vaults.credentials.update(id, { vault_id: vault.id, auth: auth as never }));
      expect([error?.status, error?.message], message).toEqual([400, expect.stringContaining(message)]);
    }
    expect((await client.beta.vaults.credentials.retrieve(env.id, { vault_id: vault.id })).auth).toEqual(narrowed.auth);

    const twin = await failure(client.beta.vaults.credentials.create(vault.id, { auth: { ...oauthAuth, access_token: secret("dup") } }));
    expect(twin).toBeInstanceOf(Anthropic.ConflictError);
    const archived = await client.beta.vaults.credentials.archive(oauth.id, { vault_id: vault.id });
    expect(archived.archived_at).toEqual(expect.any(String));
    expect((await client.beta.vaults.credentials.list(vault.id)).data.map((c) => c.id)).toEqual([env.id]);
    expect((await client.beta.vaults.credentials.list(vault.id, { include_archived: true })).data.map((c) => c.id)).toEqual([env.id, oauth.id]);
    expect((await failure(client.beta.vaults.credentials.update(oauth.id, { vault_id: vault.id, display_name: "again" })))?.status).toBe(400);
    const replacement = await client.beta.vaults.credentials.create(vault.id, { auth: { ...oauthAuth, access_token: secret("new") } });

    expect(await client.beta.vaults.credentials.delete(replacement.id, { vault_id: vault.id })).toEqual({ id: replacement.id, type: "vault_credential_deleted" });
    expect((await failure(client.beta.vaults.credentials.retrieve(replacement.id, { vault_id: vault.id })))?.status).toBe(404);
    expect(await db.prisma.credential.findUnique({ where: { id: replacement.id } })).toBeNull();
  });

  it("answers 404 to another team on every vault and credential endpoint, like unknown and malformed ids, and changes nothing", async () => {
    const vault = await client.beta.vaults.create({ display_name: "private", metadata: { owner: "team 1" } });
    const credential = await client.beta.vaults.credentials.create(vault.id, { auth: staticBearer() });
    const own = await stranger.beta.vaults.create({ display_name: "stranger's own" });
    const attempts = (vaultId: string, credentialId: string, c: Anthropic) => ({
      "vaults.retrieve": () => c.beta.vaults.retrieve(vaultId),
      "vaults.update": () => c.beta.vaults.update(vaultId, { display_name: "taken", metadata: { owner: null } }),
      "vaults.archive": () => c.beta.vaults.archive(vaultId),
      "vaults.delete": () => c.beta.vaults.delete(vaultId),
      "credentials.create": () => c.beta.vaults.credentials.create(vaultId, { auth: staticBearer() }),
      "credentials.list": () => c.beta.vaults.credentials.list(vaultId),
      "credentials.retrieve": () => c.beta.vaults.credentials.retrieve(credentialId, { vault_id: vaultId }),
      "credentials.update": () => c.beta.vaults.credentials.update(credentialId, { vault_id: vaultId, auth: { type: "static_bearer", token: secret("hijack") } }),
      "credentials.archive": () => c.beta.vaults.credentials.archive(credentialId, { vault_id: vaultId }),
      "credentials.delete": () => c.beta.vaults.credentials.delete(credentialId, { vault_id: vaultId }),
      "credentials.mcpOAuthValidate": () => c.beta.vaults.credentials.mcpOAuthValidate(credentialId, { vault_id: vaultId }),
    });
    const throughOwnVault = Object.entries(attempts(own.id, credential.id, stranger)).filter(([name]) => /^credentials\.(retrieve|update|archive|delete|mcpOAuthValidate)$/.test(name));
    const cases: [string, [string, () => Promise<unknown>][]][] = [
      ["another team", Object.entries(attempts(vault.id, credential.id, stranger))],
      ["the credential through another vault", throughOwnVault],
      ["unknown ids", Object.entries(attempts("vlt_01ABCDEFGHJKMNPQRSTVWXYZ00", "vcrd_01ABCDEFGHJKMNPQRSTVWXYZ00", client))],
      ["malformed ids", Object.entries(attempts("vlt_not-an-id", "not-a-credential", client))],
      ["a credential id of the wrong vault", Object.entries(attempts(vault.id, "vcrd_01ABCDEFGHJKMNPQRSTVWXYZ00", client)).filter(([name]) => /^credentials\.(retrieve|update|archive|delete|mcpOAuthValidate)$/.test(name))],
    ];
    expect(cases.map(([, calls]) => calls.length)).toEqual([11, 5, 11, 11, 5]);
    for (const [label, calls] of cases) {
      for (const [name, call] of calls) {
        const error = await failure(call());
        expect(error, `${label}: ${name}`).toBeInstanceOf(Anthropic.NotFoundError);
        expect(error?.message).not.toContain("team 1");
      }
    }
    expect((await stranger.beta.vaults.list({ include_archived: true })).data.map((v) => v.id)).toEqual([own.id]);
    expect(await client.beta.vaults.retrieve(vault.id)).toMatchObject({ display_name: "private", metadata: { owner: "team 1" }, archived_at: null });
    expect(await client.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id })).toEqual(credential);
    expect(await db.prisma.credential.count({ where: { vaultId: vault.id } })).toBe(1);
  });

  it("answers 401 to a missing or wrong key", async () => {
    const missing = await fetch(`${app.url}/v1/vaults`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const wrong = new Anthropic({ apiKey: "oma_not-a-real-key-at-all-000000000000", baseURL: app.url, maxRetries: 0 });
    expect(await failure(wrong.beta.vaults.list())).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(await failure(wrong.beta.vaults.create({ display_name: "x" }))).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(await failure(wrong.beta.vaults.credentials.list("vlt_01ABCDEFGHJKMNPQRSTVWXYZ00"))).toBeInstanceOf(Anthropic.AuthenticationError);
    const asHeader = await fetch(`${app.url}/v1/vaults`, { headers: { "x-api-key": app.apiKey } });
    expect(asHeader.status).toBe(200);
  });

  it("mcp_oauth_validate answers 400 for a credential of another type and an archived one", async () => {
    const vault = await client.beta.vaults.create({ display_name: "validate" });
    const bearer = await client.beta.vaults.credentials.create(vault.id, { auth: staticBearer() });
    const wrongType = await failure(client.beta.vaults.credentials.mcpOAuthValidate(bearer.id, { vault_id: vault.id }));
    expect([wrongType?.status, wrongType?.message]).toEqual([400, expect.stringContaining("only mcp_oauth credentials can be validated")]);
    const oauth = await client.beta.vaults.credentials.create(vault.id, {
      auth: { type: "mcp_oauth", mcp_server_url: "https://mcp-validate.example.com/mcp", access_token: secret("access") },
    });
    await client.beta.vaults.credentials.archive(oauth.id, { vault_id: vault.id });
    const archived = await failure(client.beta.vaults.credentials.mcpOAuthValidate(oauth.id, { vault_id: vault.id }));
    expect([archived?.status, archived?.message]).toEqual([400, expect.stringContaining("is archived")]);
  });

  it("two processes refreshing one credential at once: the token endpoint is called once, both use its tokens", async () => {
    const refreshToken = secret("refresh");
    const client_ = { id: "oma-client", secret: secret("client-secret") };
    const endpoint = await startOAuthTokenEndpoint({ refreshToken, client: client_ });
    const processes = await Promise.all([1, 2].map(() => openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 1 }, { migrate: false })));
    try {
      const vault = await client.beta.vaults.create({ display_name: "refresh race" });
      const credential = await client.beta.vaults.credentials.create(vault.id, {
        auth: {
          type: "mcp_oauth",
          mcp_server_url: "https://mcp-race.example.com/mcp",
          access_token: secret("access"),
          expires_at: new Date(Date.now() + 30_000).toISOString(),
          refresh: { client_id: client_.id, refresh_token: refreshToken, token_endpoint: endpoint.url, token_endpoint_auth: { type: "client_secret_post", client_secret: client_.secret } },
        },
      });
      const cipher = new VaultCipher({ current: OLD_KEY });
      const refresh = (database: Database) =>
        refreshMcpOAuthCredential({ prisma: database.prisma, cipher, exchange: { allowPrivateAddresses: true } }, { credentialId: credential.id });
      endpoint.mode = "held";
      const first = refresh(processes[0]!);
      await until("the first refresh to reach the token endpoint", () => endpoint.requests.length === 1);
      const second = refresh(processes[1]!);
      // the second waits on the credential's row lock, held by the first during its exchange
      await until("the second refresh to wait for the row lock", async () => {
        const [row] = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        return row!.n === 1;
      });
      endpoint.release();
      const [a, b] = await Promise.all([first, second]);

      expect(endpoint.requests).toHaveLength(1);
      const [accessToken, rotated] = endpoint.issued;
      expect(a).toEqual({ status: "succeeded", accessToken, expiresAt: expect.any(String) });
      expect(b).toEqual({ status: "current", accessToken, expiresAt: a.status === "succeeded" ? a.expiresAt : null });
      const row = await db.prisma.credential.findUniqueOrThrow({ where: { id: credential.id } });
      expect(openSecrets(cipher, row)).toEqual({ access_token: accessToken, refresh_token: rotated, client_secret: client_.secret });
      const stored = await client.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id });
      expect(stored.auth).toMatchObject({ type: "mcp_oauth", expires_at: a.status === "succeeded" ? a.expiresAt : "" });
      SECRETS.push(accessToken!, rotated!);
    } finally {
      endpoint.release();
      await endpoint.close();
      await Promise.all(processes.map((p) => p.close()));
    }
  });

  it("never sent a secret back: no response body, success or error, holds one", () => {
    expect(bodies.length).toBeGreaterThan(40);
    expect(SECRETS.length).toBeGreaterThan(10);
    expect(bodies.some((b) => b.includes("vault_credential"))).toBe(true);
    for (const value of SECRETS) expect(bodies.filter((b) => b.includes(value)), value).toEqual([]);
    expect(app.output()).not.toMatch(new RegExp(SECRETS.join("|")));
  });

  it("rotates every credential to a new key with the script, reporting the one it cannot decrypt and keeping it", async () => {
    const vault = await client.beta.vaults.create({ display_name: "rotation" });
    for (let i = 0; i < 3; i++) await client.beta.vaults.credentials.create(vault.id, { auth: staticBearer() });
    const victimId = (await db.prisma.credential.findFirstOrThrow({ where: { vaultId: vault.id } })).id;
    const { secretTag } = await db.prisma.credential.findUniqueOrThrow({ where: { id: victimId } });
    const tamperedTag = new Uint8Array(secretTag).map((b, i) => (i === 0 ? b ^ 0xff : b));
    await db.prisma.credential.update({ where: { id: victimId }, data: { secretTag: tamperedTag } });
    const before = await db.prisma.credential.findMany({ orderBy: { id: "asc" } });
    expect(before.length).toBeGreaterThan(5);
    const victim = before.find((r) => r.id === victimId)!;

    const oldCipher = new VaultCipher({ current: OLD_KEY });
    const plaintexts = new Map(before.filter((r) => r.id !== victim.id).map((r) => [r.id, openSecrets(oldCipher, r)]));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-rotate-"));
    const run = (env: Record<string, string>, args: string[] = []) =>
      spawnSync(process.execPath, [...NODE_HOOKS, "scripts/vault-rotate-key.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: app.databaseUrl!, DATA_DIR: dataDir, LOG_LEVEL: "warn", ...env },
      });
    const keys = { VAULT_KEY: NEW_KEY.toString("hex"), VAULT_KEY_PREVIOUS: OLD_KEY.toString("base64") };

    const first = run(keys, ["--batch-size=2"]);
    expect(first.status, first.stderr).toBe(1);
    expect(first.stdout).toContain(`under key ${vaultKeyId(NEW_KEY)} (also reading keys ${vaultKeyId(OLD_KEY)})`);
    expect(first.stdout).toContain(`Done: ${before.length} credentials read; ${before.length - 1} re-encrypted, 0 already under`);
    expect(first.stdout).toContain("1 could not be decrypted");
    expect(first.stderr).toContain(`credential ${victim.id} failed authentication (tampered or wrong key ${vaultKeyId(OLD_KEY)})`);

    const after = await db.prisma.credential.findMany({ orderBy: { id: "asc" } });
    const newCipher = new VaultCipher({ current: NEW_KEY });
    for (const row of after) {
      const was = before.find((r) => r.id === row.id)!;
      expect(row.updatedAt).toEqual(was.updatedAt);
      if (row.id === victim.id) {
        expect([row.keyId, Buffer.from(row.secretCiphertext).equals(Buffer.from(victim.secretCiphertext)), Buffer.from(row.secretTag).equals(Buffer.from(tamperedTag))]).toEqual([vaultKeyId(OLD_KEY), true, true]);
        continue;
      }
      expect(row.keyId).toBe(vaultKeyId(NEW_KEY));
      expect(openSecrets(newCipher, row)).toEqual(plaintexts.get(row.id));
    }

    const second = run(keys);
    expect(second.status).toBe(1);
    expect(second.stdout).toContain(`Done: ${before.length} credentials read; 0 re-encrypted, ${before.length - 1} already under ${vaultKeyId(NEW_KEY)}`);
    const unchanged = await db.prisma.credential.findMany({ orderBy: { id: "asc" } });
    expect(unchanged.map((r) => Buffer.from(r.secretCiphertext).toString("hex"))).toEqual(after.map((r) => Buffer.from(r.secretCiphertext).toString("hex")));

    const withoutOld = run({ VAULT_KEY: NEW_KEY.toString("base64"), VAULT_KEY_PREVIOUS: "" });
    expect(withoutOld.stderr).toContain(`credential ${victim.id} is encrypted with key ${vaultKeyId(OLD_KEY)}, which is not configured: set VAULT_KEY_PREVIOUS`);

    const badKey = "definitely-not-a-valid-key";
    const malformed = run({ VAULT_KEY: badKey });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr.trim()).toMatch(/^vault:rotate-key: Invalid environment: VAULT_KEY must be 32 random bytes[^\n]*$/);
    expect(`${malformed.stdout}${malformed.stderr}`).not.toContain(badKey);
    for (const value of SECRETS) expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain(value);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
