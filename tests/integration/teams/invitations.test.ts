import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findMembership } from "@/lib/teams/find-membership";
import { acceptInvitation } from "@/lib/teams/invitations/accept-invitation";
import { createInvitation } from "@/lib/teams/invitations/create-invitation";
import { getInvitation } from "@/lib/teams/invitations/get-invitation";
import { InvitationError } from "@/lib/teams/invitations/invitation-error";
import { listInvitations } from "@/lib/teams/invitations/list-invitations";
import { revokeInvitation } from "@/lib/teams/invitations/revoke-invitation";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { seedTeam, seedUser } from "@/tests/fixtures/teams";

const DAY = 24 * 60 * 60 * 1000;

describe("invitations by link", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  async function ownedTeam() {
    const owner = await seedUser(prisma, "Owner");
    const team = await seedTeam(prisma, { owners: [owner] });
    return { owner, team };
  }

  const problemOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "accepted",
      (error: unknown) => (error instanceof InvitationError ? error.problem : error),
    );

  it("stores only the SHA-256 of a 32-byte base64url token, valid for 7 days", async () => {
    const { owner, team } = await ownedTeam();
    const now = new Date("2030-01-01T00:00:00Z");
    const invitation = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member", now });
    expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(invitation.token, "base64url")).toHaveLength(32);
    const row = await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(invitation.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(invitation.token);
    expect(row.expiresAt.getTime() - now.getTime()).toBe(7 * DAY);
    expect(row).toMatchObject({ role: "member", createdBy: owner.id, acceptedAt: null, revokedAt: null });
  });

  it("lets only owners invite", async () => {
    const { owner, team } = await ownedTeam();
    const member = await seedUser(prisma);
    const stranger = await seedUser(prisma);
    await prisma.membership.create({ data: { teamId: team.id, userId: member.id, role: "member" } });
    await expect(createInvitation(prisma, { teamId: team.id, actorId: member.id, role: "member" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvitation(prisma, { teamId: team.id, actorId: stranger.id, role: "owner" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await listInvitations(prisma, { teamId: team.id })).toEqual([]);
    await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "owner" });
    expect(await listInvitations(prisma, { teamId: team.id })).toEqual([expect.objectContaining({ role: "owner", expired: false, invitedBy: owner.name })]);
  });

  it("joins the user with the invitation's role, once", async () => {
    const { owner, team } = await ownedTeam();
    const [invitee, latecomer] = [await seedUser(prisma), await seedUser(prisma)];
    const { token } = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "owner" });
    expect(await getInvitation(prisma, { token })).toMatchObject({ problem: null, team: { slug: team.slug, name: team.name }, role: "owner", invitedBy: owner.name });

    const accepted = await acceptInvitation(prisma, { token, userId: invitee.id });
    expect(accepted).toEqual({ team, role: "owner", alreadyMember: false });
    expect(await findMembership(prisma, { teamSlug: team.slug, userId: invitee.id })).toMatchObject({ role: "owner" });

    expect(await problemOf(acceptInvitation(prisma, { token, userId: latecomer.id }))).toBe("used");
    expect(await findMembership(prisma, { teamSlug: team.slug, userId: latecomer.id })).toBeNull();
    expect(await getInvitation(prisma, { token })).toEqual({ problem: "used" });
    expect(await listInvitations(prisma, { teamId: team.id })).toEqual([]);
  });

  it("refuses an expired link", async () => {
    const { owner, team } = await ownedTeam();
    const invitee = await seedUser(prisma);
    const created = new Date(Date.now() - 8 * DAY);
    const { token } = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member", now: created });
    expect(await problemOf(acceptInvitation(prisma, { token, userId: invitee.id }))).toBe("expired");
    expect(await getInvitation(prisma, { token })).toEqual({ problem: "expired" });
    expect(await listInvitations(prisma, { teamId: team.id })).toEqual([expect.objectContaining({ expired: true })]);
    // just before the end of its 7 days it still works
    const fresh = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member", now: created });
    expect(await problemOf(acceptInvitation(prisma, { token: fresh.token, userId: invitee.id, now: new Date(created.getTime() + 7 * DAY - 1000) }))).toBe("accepted");
  });

  it("refuses a withdrawn link; only owners withdraw", async () => {
    const { owner, team } = await ownedTeam();
    const [member, invitee] = [await seedUser(prisma), await seedUser(prisma)];
    await prisma.membership.create({ data: { teamId: team.id, userId: member.id, role: "member" } });
    const invitation = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member" });
    await expect(revokeInvitation(prisma, { teamId: team.id, actorId: member.id, invitationId: invitation.id })).rejects.toMatchObject({ code: "forbidden" });
    await revokeInvitation(prisma, { teamId: team.id, actorId: owner.id, invitationId: invitation.id });
    expect(await problemOf(acceptInvitation(prisma, { token: invitation.token, userId: invitee.id }))).toBe("revoked");
    await expect(revokeInvitation(prisma, { teamId: team.id, actorId: owner.id, invitationId: invitation.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await findMembership(prisma, { teamSlug: team.slug, userId: invitee.id })).toBeNull();
  });

  it("cannot withdraw another team's invitation", async () => {
    const { owner, team } = await ownedTeam();
    const other = await ownedTeam();
    const invitation = await createInvitation(prisma, { teamId: other.team.id, actorId: other.owner.id, role: "member" });
    await expect(revokeInvitation(prisma, { teamId: team.id, actorId: owner.id, invitationId: invitation.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await getInvitation(prisma, { token: invitation.token })).toMatchObject({ problem: null });
  });

  it("refuses a wrong or malformed token", async () => {
    const { owner, team } = await ownedTeam();
    const invitee = await seedUser(prisma);
    const { token } = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member" });
    const wrong = randomBytes(32).toString("base64url");
    for (const attempt of [wrong, token.slice(0, -1), `${token}x`, "", "../../etc/passwd"]) {
      expect(await problemOf(acceptInvitation(prisma, { token: attempt, userId: invitee.id }))).toBe("invalid");
      expect(await getInvitation(prisma, { token: attempt })).toEqual({ problem: "invalid" });
    }
    expect(await getInvitation(prisma, { token })).toMatchObject({ problem: null });
  });

  it("lets an existing member through without using up the link", async () => {
    const { owner, team } = await ownedTeam();
    const invitee = await seedUser(prisma);
    const { token } = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "owner" });
    expect(await acceptInvitation(prisma, { token, userId: owner.id })).toMatchObject({ alreadyMember: true, role: "owner" });
    expect(await acceptInvitation(prisma, { token, userId: invitee.id })).toMatchObject({ alreadyMember: false, role: "owner" });
  });
});
