import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { authenticateApiKey, authenticateEnvironmentKey } from "@/lib/teams/api-keys/authenticate-api-key";
import { createEnvironmentKey } from "@/lib/environments/keys/create-environment-key";
import { revokeEnvironmentKey } from "@/lib/environments/keys/revoke-environment-key";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { listApiKeys } from "@/lib/teams/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/teams/api-keys/revoke-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { findMembership } from "@/lib/teams/find-membership";
import { listMembers } from "@/lib/teams/list-members";
import { listUserTeams } from "@/lib/teams/list-user-teams";
import { removeMember } from "@/lib/teams/remove-member";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { seedTeam, seedUser } from "@/tests/fixtures/teams";
import { letTimePass, until } from "@/tests/fixtures/wait";

describe("team membership", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  describe("findMembership (what requireMembership grants)", () => {
    it("finds the member's role, and nothing for a stranger or an unknown team", async () => {
      const [owner, member, stranger] = [await seedUser(prisma), await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner], members: [member] });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: owner.id })).toEqual({ team, role: "owner" });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: member.id })).toEqual({ team, role: "member" });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: stranger.id })).toBeNull();
      expect(await findMembership(prisma, { teamSlug: "no-such-team", userId: owner.id })).toBeNull();
    });

    it("stops granting access as soon as the member is removed", async () => {
      const [owner, member] = [await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner], members: [member] });
      await removeMember(prisma, { teamId: team.id, actorId: owner.id, userId: member.id });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: member.id })).toBeNull();
    });
  });

  describe("createTeam", () => {
    it("makes the creator its owner, in the list of their teams", async () => {
      const user = await seedUser(prisma);
      const personal = await seedTeam(prisma, { owners: [user] });
      const team = await createTeam(prisma, { slug: `lab-${Date.now().toString(36)}`, name: "The Lab", ownerId: user.id });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: user.id })).toMatchObject({ role: "owner" });
      expect((await listUserTeams(prisma, { userId: user.id })).map((t) => [t.slug, t.role])).toEqual([
        [personal.slug, "owner"],
        [team.slug, "owner"],
      ]);
    });

    it("refuses a taken slug and a malformed one, naming the field", async () => {
      const user = await seedUser(prisma);
      const team = await seedTeam(prisma, { owners: [user] });
      await expect(createTeam(prisma, { slug: team.slug, name: "Copy", ownerId: user.id })).rejects.toMatchObject({ code: "conflict", details: { field: "slug" } });
      await expect(createTeam(prisma, { slug: "Not A Slug", name: "Bad", ownerId: user.id })).rejects.toMatchObject({ code: "invalid_request", details: { field: "slug" } });
    });

    it("still makes a team without members (the cli's teams for API use)", async () => {
      const team = await createTeam(prisma, { slug: `api-${Date.now().toString(36)}`, name: "API only" });
      expect(await listMembers(prisma, { teamId: team.id })).toEqual([]);
    });
  });

  describe("removeMember", () => {
    it("lets an owner remove a member", async () => {
      const [owner, member] = [await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner], members: [member] });
      await removeMember(prisma, { teamId: team.id, actorId: owner.id, userId: member.id });
      expect((await listMembers(prisma, { teamId: team.id })).map((m) => m.userId)).toEqual([owner.id]);
    });

    it("refuses a member removing someone else, and a non-member", async () => {
      const [owner, member, other, stranger] = [await seedUser(prisma), await seedUser(prisma), await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner], members: [member, other] });
      await expect(removeMember(prisma, { teamId: team.id, actorId: member.id, userId: other.id })).rejects.toMatchObject({ code: "forbidden" });
      await expect(removeMember(prisma, { teamId: team.id, actorId: member.id, userId: owner.id })).rejects.toMatchObject({ code: "forbidden" });
      await expect(removeMember(prisma, { teamId: team.id, actorId: stranger.id, userId: member.id })).rejects.toMatchObject({ code: "forbidden" });
      expect(await listMembers(prisma, { teamId: team.id })).toHaveLength(3);
    });

    it("never removes the last owner, not even by themselves", async () => {
      const [owner, member] = [await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner], members: [member] });
      await expect(removeMember(prisma, { teamId: team.id, actorId: owner.id, userId: owner.id })).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/only owner/),
      });
      expect(await findMembership(prisma, { teamSlug: team.slug, userId: owner.id })).toMatchObject({ role: "owner" });
    });

    it("lets an owner remove another owner while one remains, and anyone leave", async () => {
      const [first, second, member] = [await seedUser(prisma), await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [first, second], members: [member] });
      await removeMember(prisma, { teamId: team.id, actorId: member.id, userId: member.id });
      await removeMember(prisma, { teamId: team.id, actorId: first.id, userId: second.id });
      await expect(removeMember(prisma, { teamId: team.id, actorId: first.id, userId: first.id })).rejects.toMatchObject({ code: "conflict" });
      expect((await listMembers(prisma, { teamId: team.id })).map((m) => m.userId)).toEqual([first.id]);
    });

    it("says so for someone who is not in the team", async () => {
      const [owner, stranger] = [await seedUser(prisma), await seedUser(prisma)];
      const team = await seedTeam(prisma, { owners: [owner] });
      await expect(removeMember(prisma, { teamId: team.id, actorId: owner.id, userId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
    });
  });

  describe("listMembers", () => {
    it("lists owners first, with names and emails", async () => {
      const [member, owner] = [await seedUser(prisma, "Member"), await seedUser(prisma, "Owner")];
      const team = await seedTeam(prisma, { members: [member], owners: [owner] });
      const members = await listMembers(prisma, { teamId: team.id });
      expect(members.map((m) => [m.name, m.email, m.role])).toEqual([
        [owner.name, owner.email, "owner"],
        [member.name, member.email, "member"],
      ]);
    });
  });

  describe("listApiKeys", () => {
    it("lists the team's active keys with their creator, never the key", async () => {
      const owner = await seedUser(prisma, "Keymaker");
      const team = await seedTeam(prisma, { owners: [owner] });
      const other = await seedTeam(prisma, { owners: [owner] });
      const kept = await createApiKey(prisma, { teamId: team.id, name: "CI", createdBy: owner.id });
      const revoked = await createApiKey(prisma, { teamId: team.id, name: "old" });
      await createApiKey(prisma, { teamId: other.id, name: "elsewhere" });
      await revokeApiKey(prisma, { teamId: team.id, id: revoked.id });
      const keys = await listApiKeys(prisma, { teamId: team.id });
      expect(keys).toEqual([expect.objectContaining({ id: kept.id, name: "CI", hint: kept.hint, createdBy: owner.name, lastUsedAt: null })]);
      expect(JSON.stringify(keys)).not.toContain(kept.key);
    });

    it("notes when a key was last used, at most once a minute, and refuses a revoked one", async () => {
      const team = await seedTeam(prisma, {});
      const made = await createApiKey(prisma, { teamId: team.id, name: "used" });
      const db = database.db; // the statements on the driver, as the server reads keys
      expect(await authenticateApiKey(db, made.key)).toEqual({ teamId: team.id, apiKeyId: made.id });
      await until("lastUsedAt written", async () => (await prisma.apiKey.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt !== null);
      const first = (await prisma.apiKey.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt!;
      expect(Math.abs(first.getTime() - Date.now())).toBeLessThan(10_000);
      await authenticateApiKey(db, made.key);
      await letTimePass(100, "a second write, had there been one");
      expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt).toEqual(first);
      // a minute later it is written again
      await prisma.apiKey.update({ where: { id: made.id }, data: { lastUsedAt: new Date(Date.now() - 61_000) } });
      await authenticateApiKey(db, made.key);
      await until("lastUsedAt written again", async () => Date.now() - (await prisma.apiKey.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt!.getTime() < 10_000);
      await revokeApiKey(prisma, { teamId: team.id, id: made.id });
      expect(await authenticateApiKey(db, made.key)).toBeNull();
      expect(await authenticateApiKey(db, "sk-not-a-key-at-all")).toBeNull();
    });
  });

  describe("environment keys (made on a self-hosted environment's page)", () => {
    const environment = async (teamId: string, type: "cloud" | "self_hosted", archived = false) =>
      prisma.environment.create({
        data: { id: newId("environment"), teamId, name: `${type} env`, config: { type }, metadata: {}, archivedAt: archived ? new Date() : null },
      });
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => "made",
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );

    it("makes a key for that environment only, listed on its page and not among the team's keys, revoked there", async () => {
      const owner = await seedUser(prisma, "Host keeper");
      const team = await seedTeam(prisma, { owners: [owner] });
      const hosted = await environment(team.id, "self_hosted");
      const teamKey = await createApiKey(prisma, { teamId: team.id, name: "CI" });
      const made = await createEnvironmentKey(prisma, { teamId: team.id, environmentId: hosted.id, name: "build server", createdBy: owner.id });

      expect((await listApiKeys(prisma, { teamId: team.id })).map((key) => key.id)).toEqual([teamKey.id]);
      const listed = await listApiKeys(prisma, { teamId: team.id, environmentId: hosted.id });
      expect(listed).toEqual([expect.objectContaining({ id: made.id, name: "build server", createdBy: owner.name })]);
      expect(await authenticateEnvironmentKey({ prisma, sql: prisma }, made.key)).toEqual(expect.objectContaining({ environmentId: hosted.id, teamId: team.id }));
      expect(await authenticateApiKey({ prisma, sql: prisma }, made.key)).toBeNull(); // not a team API key

      // a team key is not one of the environment's keys to revoke
      expect(await refusal(revokeEnvironmentKey(prisma, { teamId: team.id, environmentId: hosted.id, id: teamKey.id }))).toBe("not_found");
      await revokeEnvironmentKey(prisma, { teamId: team.id, environmentId: hosted.id, id: made.id });
      expect(await listApiKeys(prisma, { teamId: team.id, environmentId: hosted.id })).toEqual([]);
      expect(await authenticateEnvironmentKey({ prisma, sql: prisma }, made.key)).toBeNull();
    });

    it("refuses a cloud environment, an archived one and another team's, writing no key", async () => {
      const owner = await seedUser(prisma);
      const team = await seedTeam(prisma, { owners: [owner] });
      const other = await seedTeam(prisma, { owners: [owner] });
      const cases = [await environment(team.id, "cloud"), await environment(team.id, "self_hosted", true)];
      const theirs = await environment(other.id, "self_hosted");
      const codes = [];
      for (const env of cases) codes.push(await refusal(createEnvironmentKey(prisma, { teamId: team.id, environmentId: env.id, name: "k" })));
      codes.push(await refusal(createEnvironmentKey(prisma, { teamId: team.id, environmentId: theirs.id, name: "k" })));
      expect(codes).toEqual(["invalid_request", "invalid_request", "not_found"]);
      expect(await prisma.apiKey.count({ where: { teamId: { in: [team.id, other.id] } } })).toBe(0);
    });
  });
});
