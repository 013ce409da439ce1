import { randomBytes } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import type { TJoinAck, TWireEventWithSeq } from "@/lib/realtime/session-protocol";
import { SOCKET_PATH } from "@/lib/realtime/socket-server";
import { createShareLink } from "@/lib/share/create-share-link";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { sdkClient } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

// The real server on PostgreSQL: a session made through the official SDK, shared by a link, opened
// by someone who is not signed in — the page, and the live socket, until the link is revoked.

const available = await requirePostgres("the replay link suite");

describe.runIf(available)("share links on the real server", () => {
  let server: AppServer;
  let db: Database;
  let client: Anthropic;
  let environmentId: string;
  let agentId: string;

  beforeAll(async () => {
    // with DATABASE_URL, vault secrets need a configured key
    server = await startAppServer({ database: "postgres", env: { VAULT_KEY: randomBytes(32).toString("base64") } });
    db = await openDatabase({ kind: "postgres", url: server.databaseUrl!, poolSize: 2 }, { migrate: false });
    client = sdkClient(server).client;
    agentId = (await client.beta.agents.create({ name: "Replay helper", model: "claude-sonnet-4-5", tools: [{ type: "agent_toolset_20260401" }] })).id;
    environmentId = (await client.beta.environments.create({ name: "replay env" })).id;
  });

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { "x-api-key": server.apiKey, "content-type": "application/json", ...init.headers } });

  const idle = async (sessionId: string, count: number) => {
    const events = (await client.beta.sessions.events.list(sessionId, { limit: 1000 })).data;
    return events.filter((e) => e.type === "session.status_idle").length >= count;
  };

  it("opens the replay signed-out, with the session's messages and none of its secrets; a revoked link is a 404", async () => {
    const secret = `sk-replay-${randomBytes(16).toString("hex")}`;
    const vault = await client.beta.vaults.create({ display_name: "ops" });
    await client.beta.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", mcp_server_url: "https://mcp.replay.example/mcp", token: secret } });
    const metadataValue = `meta-${randomBytes(8).toString("hex")}`;
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, vault_ids: [vault.id], title: "Shared demo", metadata: { customer: metadataValue } });
    const question = `What is the replay number ${randomBytes(4).toString("hex")}?`;
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: `${question} <script>alert(1)</script>` }] }] });
    await until("the end of the turn", () => idle(session.id, 1), { timeoutMs: 30_000, intervalMs: 25 });
    const events = (await client.beta.sessions.events.list(session.id, { limit: 1000 })).data;
    const reply = events.find((e) => e.type === "agent.message");
    const replyText = reply && "content" in reply ? reply.content.map((b) => ("text" in b ? b.text : "")).join("") : "";
    expect(replyText.length).toBeGreaterThan(0);

    const row = await db.prisma.session.findUniqueOrThrow({ where: { id: session.id }, select: { teamId: true } });
    const link = await createShareLink({ prisma: db.prisma }, { teamId: row.teamId, sessionId: session.id, createdBy: null });

    const page = await fetch(`${server.url}${link.path}`, { redirect: "manual" });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(question);
    expect(html).toContain(replyText.match(/[A-Za-z ,]{24,}/)![0]);
    expect(html).toContain("Shared demo");
    expect(html).toContain("Replay helper");
    expect(html).toMatch(/<meta name="referrer" content="no-referrer"/);
    expect(html).not.toContain("<script>alert(1)");
    for (const hidden of [secret, vault.id, metadataValue, environmentId]) expect(html).not.toContain(hidden);

    // the player's pages of the log after the inline one: the same events, as a guest sees them
    const paged = await fetch(`${server.url}${link.path}/events?after_seq=0&limit=2`);
    expect(paged.status).toBe(200);
    expect(paged.headers.get("cache-control")).toContain("no-store");
    const first = (await paged.json()) as { events: Array<{ seq: number; type: string }>; has_more: boolean };
    expect(first.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(first.has_more).toBe(true);
    const rest = (await (await fetch(`${server.url}${link.path}/events?after_seq=2`)).json()) as { events: Array<{ seq: number; type: string }>; has_more: boolean };
    expect(rest.has_more).toBe(false);
    expect(rest.events[0]!.seq).toBeGreaterThan(2);
    const pagedText = JSON.stringify([first, rest]);
    expect(pagedText).toContain(question);
    for (const hidden of [secret, vault.id, metadataValue, environmentId]) expect(pagedText).not.toContain(hidden);
    expect((await fetch(`${server.url}${link.path}/events?after_seq=-1`)).status).toBe(400);

    const revoked = await api(`/v1/sessions/${session.id}/share_links/${link.id}/revoke`, { method: "POST" });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: link.id, type: "share_link", revoked_at: expect.any(String) });
    const gone = await fetch(`${server.url}${link.path}`, { redirect: "manual" });
    expect(gone.status).toBe(404);
    expect((await fetch(`${server.url}${link.path}/events?after_seq=0`)).status).toBe(404);
    const goneHtml = await gone.text();
    expect(goneHtml).toContain("This link is no longer valid");
    expect(goneHtml).not.toContain(question);
  });

  it("answers an unknown or malformed token with the same 404 page", async () => {
    for (const token of [`shr_${randomBytes(32).toString("base64url")}`, "nonsense", "shr_%3Cscript%3E"]) {
      const response = await fetch(`${server.url}/replay/${token}`, { redirect: "manual" });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("This link is no longer valid");
    }
  });

  it("creates, lists and revokes links through the API, for the key's team only", async () => {
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    const created = await api(`/v1/sessions/${session.id}/share_links`, { method: "POST" });
    expect(created.status).toBe(200);
    const link = (await created.json()) as { id: string; token: string; path: string };
    expect(link.path).toBe(`/replay/${link.token}`);
    const listed = (await (await api(`/v1/sessions/${session.id}/share_links`)).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((l) => l.id)).toEqual([link.id]);
    expect(JSON.stringify(listed)).not.toContain(link.token);
    expect((await fetch(`${server.url}/v1/sessions/${session.id}/share_links`, { method: "POST" })).status).toBe(401);
    expect((await api(`/v1/sessions/sesn_01ABCDEFGHJKMNPQRSTVWXYZ00/share_links`, { method: "POST" })).status).toBe(404);
    expect((await api(`/v1/sessions/${session.id}/share_links/shr_01ABCDEFGHJKMNPQRSTVWXYZ00/revoke`, { method: "POST" })).status).toBe(404);
  });

  it("streams a running session live to a share-link socket until the link is revoked, then disconnects it", async () => {
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    const link = (await (await api(`/v1/sessions/${session.id}/share_links`, { method: "POST" })).json()) as { id: string; token: string };
    const received: TWireEventWithSeq[] = [];
    let disconnect: string | null = null;
    const socket: Socket = io(server.url, { path: SOCKET_PATH, transports: ["websocket"], reconnection: false, auth: { shareToken: link.token } });
    socket.on("session:events", (payload) => received.push(...payload.events));
    socket.on("disconnect", (reason) => (disconnect = reason));
    try {
      const ack: TJoinAck = await socket.timeout(10_000).emitWithAck("session:join", { sessionId: session.id, afterSeq: 0 });
      expect(ack).toEqual({ ok: true, lastSeq: 0 });
      await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "hello, live guest" }] }] });
      await until("the turn, live", () => received.some((e) => e.type === "session.status_idle"), { timeoutMs: 30_000, intervalMs: 25 });
      expect(received.map((e) => e.type)).toEqual(expect.arrayContaining(["user.message", "session.status_running", "agent.message"]));
      expect(socket.connected).toBe(true);

      const revokedAt = Date.now();
      expect((await api(`/v1/sessions/${session.id}/share_links/${link.id}/revoke`, { method: "POST" })).status).toBe(200);
      // pushed at revocation (the viewer would otherwise stay connected); wide bound for loaded machines
      await until("the disconnection of the revoked link's viewer", () => disconnect !== null, { timeoutMs: 10_000, intervalMs: 25 });
      expect(disconnect).toBe("io server disconnect");
      expect(Date.now() - revokedAt).toBeLessThan(10_000);
    } finally {
      socket.close();
    }
    const again = io(server.url, { path: SOCKET_PATH, transports: ["websocket"], reconnection: false, auth: { shareToken: link.token } });
    try {
      expect(await again.timeout(10_000).emitWithAck("session:join", { sessionId: session.id, afterSeq: 0 })).toEqual({ ok: false, error: "not_found" });
    } finally {
      again.close();
    }
  });
});
