import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { acceptInvitation } from "@/lib/teams/invitations/accept-invitation";
import { createInvitation } from "@/lib/teams/invitations/create-invitation";
import { listMembers } from "@/lib/teams/list-members";
import { removeMember } from "@/lib/teams/remove-member";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { seedTeam, seedUser } from "@/tests/fixtures/teams";

/**
 * Races between people acting on one team at the same instant, on PostgreSQL (PGlite runs one
 * transaction at a time, so it cannot show them): a team never loses its last owner, and an
 * invitation link lets exactly one person in.
 */
const available = await requirePostgres("the membership race suite");
const ROUNDS = 15;

describe.runIf(available)("membership races on PostgreSQL", () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    prisma = database.db.prisma;
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it("keeps one owner when two owners remove each other at the same time", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [first, second] = [await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [first, second] });
      const results = await Promise.allSettled([
        removeMember(prisma, { teamId: team.id, actorId: first.id, userId: second.id }),
        removeMember(prisma, { teamId: team.id, actorId: second.id, userId: first.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await listMembers(prisma, { teamId: team.id })).toEqual([expect.objectContaining({ role: "owner" })]);
    }
  });

  it("lets exactly one of two people accepting one link at the same time in", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await seedUser(prisma);
      const team = await seedTeam(prisma, { owners: [owner] });
      const [first, second] = [await seedUser(prisma), await seedUser(prisma)];
      const { token } = await createInvitation(prisma, { teamId: team.id, actorId: owner.id, role: "member" });
      const results = await Promise.allSettled([acceptInvitation(prisma, { token, userId: first.id }), acceptInvitation(prisma, { token, userId: second.id })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { problem: "used" } });
      expect(await prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
    }
  });
});
