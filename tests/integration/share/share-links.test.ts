import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { TRealtimeSocket } from "@/lib/realtime/authorize-viewer";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { authorizeByShareToken, GUEST_NAME } from "@/lib/share/authorize-by-share-token";
import { createShareLink } from "@/lib/share/create-share-link";
import { listShareLinks } from "@/lib/share/list-share-links";
import { loadReplay, loadReplayPage } from "@/lib/share/load-replay";
import { resolveShareToken } from "@/lib/share/resolve-share-token";
import { revokeShareLink } from "@/lib/share/revoke-share-link";
import { shareLinksOf } from "@/lib/share/share-link-revocation";
import { SHARE_TOKEN } from "@/lib/share/share-token";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";

describe("share links", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: PrismaSessionStore;
  let team: TSessionPrereqs;
  let otherTeam: TSessionPrereqs;
  const noAnnounce = async () => {};

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
    store = new PrismaSessionStore(prisma);
    team = await seedSessionPrereqs(prisma);
    otherTeam = await seedSessionPrereqs(prisma);
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  it("creates an unguessable token, shown once, and stores only its SHA-256", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: "user_1" });
    expect(link.token).toMatch(SHARE_TOKEN);
    expect(link.path).toBe(`/replay/${link.token}`);
    expect(link).toMatchObject({ id: expect.stringMatching(/^shr_[0-9A-Z]{26}$/), type: "share_link", session_id: sessionId, created_by: "user_1", revoked_at: null });
    const row = await prisma.shareLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(link.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(link.token.slice(4));
    const again = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    expect(again.token).not.toBe(link.token);
    // listing never returns a token
    const listed = await listShareLinks({ prisma }, { teamId: team.teamId, sessionId });
    expect(listed.map((l) => l.id)).toEqual([again.id, link.id]);
    expect(JSON.stringify(listed)).not.toContain(link.token);
  });

  it("resolves a token to its session, and nothing else to anything", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    expect(await resolveShareToken({ prisma }, link.token)).toEqual({ linkId: link.id, sessionId });
    const flipped = link.token.slice(0, -1) + (link.token.endsWith("A") ? "B" : "A");
    for (const bad of [flipped, "", "shr_", link.id, link.token + "x", `shr_${"A".repeat(43)}`]) {
      expect(await resolveShareToken({ prisma }, bad)).toBeNull();
    }
  });

  it("never lets one session's token open another session", async () => {
    const [first, second] = [await createTestSession(store, team), await createTestSession(store, team)];
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId: first, createdBy: null });
    expect((await resolveShareToken({ prisma }, link.token))?.sessionId).toBe(first);
    const authorize = authorizeByShareToken({ prisma });
    const socket = fakeSocket({ shareToken: link.token });
    expect(await authorize(socket, second)).toBeNull();
    expect(await authorize(socket, first)).toEqual({ viewer: { id: expect.stringMatching(/^guest_/), name: GUEST_NAME }, audience: "guest" });
    expect(shareLinksOf(socket.data)).toEqual({ [first]: link.id });
  });

  it("refuses to create or list links for another team's session, or an unknown one", async () => {
    const theirs = await createTestSession(store, otherTeam);
    for (const sessionId of [theirs, newId("session"), "not-an-id"]) {
      await expect(createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null })).rejects.toMatchObject({ code: "not_found" });
      await expect(listShareLinks({ prisma }, { teamId: team.teamId, sessionId })).rejects.toMatchObject({ code: "not_found" });
    }
    expect(await prisma.shareLink.count({ where: { sessionId: theirs } })).toBe(0);
  });

  it("revokes at once: the token resolves to nothing, the socket authorizer refuses it, connected viewers are told", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    const announce = vi.fn(async () => {});
    const revoked = await revokeShareLink({ prisma, announce }, { teamId: team.teamId, linkId: link.id });
    expect(revoked.revoked_at).toEqual(expect.any(String));
    expect(announce).toHaveBeenCalledWith({ linkId: link.id, sessionId });
    expect(await resolveShareToken({ prisma }, link.token)).toBeNull();
    expect(await authorizeByShareToken({ prisma })(fakeSocket({ shareToken: link.token }), sessionId)).toBeNull();
    expect(await loadReplay({ prisma, store }, { token: link.token })).toBeNull();
    // revoking again changes nothing and is no error
    const twice = await revokeShareLink({ prisma, announce: noAnnounce }, { teamId: team.teamId, linkId: link.id });
    expect(twice.revoked_at).toBe(revoked.revoked_at);
  });

  it("lets no other team revoke a link", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    await expect(revokeShareLink({ prisma, announce: noAnnounce }, { teamId: otherTeam.teamId, linkId: link.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeShareLink({ prisma, announce: noAnnounce }, { teamId: team.teamId, linkId: link.id, sessionId: newId("session") })).rejects.toMatchObject({ code: "not_found" });
    expect(await resolveShareToken({ prisma }, link.token)).not.toBeNull();
  });

  it("ignores a handshake without a share token, so another authorizer may answer", async () => {
    const sessionId = await createTestSession(store, team);
    const authorize = authorizeByShareToken({ prisma });
    expect(await authorize(fakeSocket({ apiKey: "oma_x" }), sessionId)).toBeNull();
    expect(await authorize(fakeSocket({ shareToken: 42 }), sessionId)).toBeNull();
  });

  it("stops resolving once the session is deleted", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    await prisma.session.delete({ where: { id: sessionId } });
    expect(await resolveShareToken({ prisma }, link.token)).toBeNull();
  });

  it("loads a replay: the wire events, the title and the agent's name — nothing else of the session", async () => {
    const sessionId = (
      await store.createSession({
        teamId: team.teamId,
        agentId: team.agentId,
        agentVersion: 1,
        agentSnapshot: { type: "agent", id: team.agentId, version: 1, name: "Helper", model: { id: "claude-sonnet-4-5" }, system: "SYSTEM-PROMPT-TEXT", tools: [] },
        environmentId: team.environmentId,
        title: "Quarterly report",
        metadata: { customer: "METADATA-VALUE" },
      })
    ).id;
    await store.appendEvents(sessionId, [userMessage("hello"), { type: "span.tool_execution_start", tool_use_id: "sevt_x" }, agentMessage("hi there")]);
    await store.appendEvents(sessionId, [{ type: "session.updated", title: "Renamed", metadata: { customer: "METADATA-VALUE" } }], { sessionPatch: { title: "Renamed" } });
    await store.appendEvents(sessionId, [{ type: "span.sandbox_status", status: "ready", provider: "local", sandbox_id: "SANDBOX-HANDLE", reason: null, duration_ms: 800 }]);
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    const replay = await loadReplay({ prisma, store }, { token: link.token });
    expect(replay).toMatchObject({ sessionId, title: "Renamed", agentName: "Helper", modelFamily: "sonnet", firstPage: { hasMore: false } });
    expect(replay!.firstPage.events.map((e) => [e.seq, e.type])).toEqual([
      [1, "user.message"],
      [3, "agent.message"],
      [4, "session.updated"],
      [5, "span.sandbox_status"],
    ]);
    expect(replay!.firstPage.events.at(-1)).toMatchObject({ status: "ready", provider: "local", duration_ms: 800, sandbox_id: null });
    const sent = JSON.stringify(replay);
    for (const secret of ["METADATA-VALUE", "SYSTEM-PROMPT-TEXT", team.environmentId, "tool_execution_start", "SANDBOX-HANDLE"]) expect(sent).not.toContain(secret);
  });

  it("pages a replay: the first page inline, the rest after a seq, for the token's session only", async () => {
    const sessionId = await createTestSession(store, team);
    await store.appendEvents(sessionId, Array.from({ length: 7 }, (_, i) => agentMessage(`message ${i + 1}`)));
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    const replay = await loadReplay({ prisma, store }, { token: link.token, pageSize: 3 });
    expect(replay!.firstPage.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(replay!.firstPage.hasMore).toBe(true);
    const seqs: number[] = [];
    let after = 3;
    for (;;) {
      const page = (await loadReplayPage({ prisma, store }, { token: link.token, afterSeq: after, limit: 3 }))!;
      seqs.push(...page.events.map((e) => e.seq));
      if (!page.hasMore) break;
      after = page.events.at(-1)!.seq;
    }
    expect(seqs).toEqual([4, 5, 6, 7]);
    expect(await loadReplayPage({ prisma, store }, { token: "shr_unknown", afterSeq: 0 })).toBeNull();
    await revokeShareLink({ prisma, announce: noAnnounce }, { teamId: team.teamId, linkId: link.id });
    expect(await loadReplayPage({ prisma, store }, { token: link.token, afterSeq: 0 })).toBeNull();
  });
});

function fakeSocket(auth: Record<string, unknown>): TRealtimeSocket {
  return { id: `socket-${Math.random()}`, handshake: { auth }, data: { viewers: {} } } as unknown as TRealtimeSocket;
}
