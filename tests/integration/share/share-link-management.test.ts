import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { copyShareLink } from "@/lib/share/copy-share-link";
import { createShareLink } from "@/lib/share/create-share-link";
import { listShareLinkRows } from "@/lib/share/list-share-link-rows";
import { loadReplay, loadReplayPage } from "@/lib/share/load-replay";
import { resolveShareToken } from "@/lib/share/resolve-share-token";
import { revokeShareLink } from "@/lib/share/revoke-share-link";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { createTestSession, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { seedUser } from "@/tests/fixtures/teams";

// Managing a session's share links: who made each and how often it was opened, copying one again
// (its token derived anew from the server's secret, never stored), and revoking any.

describe("share link management", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: PrismaSessionStore;
  let team: TSessionPrereqs;
  let otherTeam: TSessionPrereqs;
  const secret = () => "a-server-secret-of-enough-length-0123456789";
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

  it("lists who made each link — a member or an API key — newest first", async () => {
    const sessionId = await createTestSession(store, team);
    const ada = await seedUser(prisma, "Ada");
    const key = { id: newId("apiKey"), name: "release bot" };
    await prisma.apiKey.create({ data: { ...key, teamId: team.teamId, keyHash: key.id, hint: "wxyz" } });
    const byAda = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: ada.id });
    const byKey = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: key.id });
    const byGone = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: newId("user") });
    const rows = await listShareLinkRows({ prisma }, { teamId: team.teamId, sessionId });
    expect(rows.map((r) => [r.id, r.created_by_name, r.view_count, r.last_viewed_at])).toEqual([
      [byGone.id, null, 0, null],
      [byKey.id, "API key · release bot", 0, null],
      [byAda.id, ada.name, 0, null],
    ]);
    await expect(listShareLinkRows({ prisma }, { teamId: otherTeam.teamId, sessionId })).rejects.toMatchObject({ code: "not_found" });
  });

  it("counts a view each time the replay page is opened, not for the pages of events it fetches after", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: null });
    const views = async () => (await listShareLinkRows({ prisma }, { teamId: team.teamId, sessionId }))[0]!;
    expect((await views()).view_count).toBe(0);
    expect(await loadReplay({ prisma, store }, { token: link.token })).not.toBeNull();
    expect(await loadReplay({ prisma, store }, { token: link.token })).not.toBeNull();
    await loadReplayPage({ prisma, store }, { token: link.token, afterSeq: 0 });
    const seen = await views();
    expect(seen.view_count).toBe(2);
    expect(Date.now() - Date.parse(seen.last_viewed_at!)).toBeLessThan(60_000);
    // a revoked link opens nothing, so counts nothing
    await revokeShareLink({ prisma, announce: noAnnounce }, { teamId: team.teamId, linkId: link.id });
    expect(await loadReplay({ prisma, store }, { token: link.token })).toBeNull();
    expect((await views()).view_count).toBe(2);
  });

  it("copies an active link again: the same address, which opens the same replay", async () => {
    const sessionId = await createTestSession(store, team);
    const link = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: null });
    const again = await copyShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, linkId: link.id });
    expect(again.path).toBe(link.path);
    expect(await resolveShareToken({ prisma }, decodeURIComponent(again.path.slice("/replay/".length)))).toEqual({ linkId: link.id, sessionId });
    // the token itself is stored nowhere
    const row = await prisma.shareLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(JSON.stringify(row)).not.toContain(link.token.slice(4));
  });

  it("refuses to copy a revoked link, a link of another team, and one whose token cannot be derived", async () => {
    const sessionId = await createTestSession(store, team);
    const revoked = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: null });
    await revokeShareLink({ prisma, announce: noAnnounce }, { teamId: team.teamId, linkId: revoked.id });
    const refusal = (options: { teamId: string; linkId: string }, tokenSecret = secret) =>
      copyShareLink({ prisma, tokenSecret }, { sessionId, ...options }).then(
        () => null,
        (error: unknown) => (error instanceof AppError ? { code: error.code, message: error.message } : error),
      );
    expect(await refusal({ teamId: team.teamId, linkId: revoked.id })).toMatchObject({ code: "invalid_request", message: expect.stringContaining("revoked") });
    const active = await createShareLink({ prisma, tokenSecret: secret }, { teamId: team.teamId, sessionId, createdBy: null });
    expect(await refusal({ teamId: otherTeam.teamId, linkId: active.id })).toMatchObject({ code: "not_found" });
    expect(await refusal({ teamId: team.teamId, linkId: "shr_not-an-id" })).toMatchObject({ code: "not_found" });
    // made without a secret (random token), or under a secret since changed: cannot be copied
    const random = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });
    expect(await refusal({ teamId: team.teamId, linkId: random.id })).toMatchObject({ code: "invalid_request", message: expect.stringContaining("cannot be copied again") });
    expect(await refusal({ teamId: team.teamId, linkId: active.id }, () => "another secret")).toMatchObject({ code: "invalid_request" });
  });
});
