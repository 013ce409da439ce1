import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "@node-rs/argon2";
import { signUp } from "@/lib/auth/sign-up";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";

/** Sign-up against a real (embedded) database: the account, its personal team, and what is refused. */
describe("signUp", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  it("creates the user and a personal team they own", async () => {
    const { user, team } = await signUp(prisma, { name: "  Ada Lovelace ", email: " Ada@Example.COM ", password: "analytical-engine" });
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace" });
    expect(team).toMatchObject({ slug: "ada-lovelace", name: "Ada Lovelace's team" });
    const memberships = await prisma.membership.findMany({ where: { userId: user.id } });
    expect(memberships).toEqual([expect.objectContaining({ teamId: team.id, role: "owner" })]);
  });

  it("stores the password only as an argon2id hash", async () => {
    const password = "correct horse battery";
    const { user } = await signUp(prisma, { name: "Grace", email: "grace@example.com", password });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain(password);
    expect(await verify(row.passwordHash!, password)).toBe(true);
    expect(await verify(row.passwordHash!, "correct horse battery!")).toBe(false);
  });

  it("refuses an email that is already registered, whatever its case, and writes nothing", async () => {
    await signUp(prisma, { name: "Alan", email: "alan@example.com", password: "enigma-machine" });
    const teamsBefore = await prisma.team.count();
    const error = await signUp(prisma, { name: "Other Alan", email: "ALAN@example.com ", password: "another-password" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", details: { field: "email" } });
    expect(await prisma.user.count({ where: { email: "alan@example.com" } })).toBe(1);
    expect(await prisma.team.count()).toBe(teamsBefore);
  });

  it.each([
    [{ name: "Short", email: "short@example.com", password: "123456789" }, "password", /at least 10/],
    [{ name: "Bad email", email: "not-an-email", password: "long-enough-pw" }, "email", /valid email/],
    [{ name: "   ", email: "blank@example.com", password: "long-enough-pw" }, "name", /name/],
  ])("refuses bad input naming the field (%#)", async (input, field, message) => {
    const error = await signUp(prisma, input).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_request", details: { field } });
    expect((error as Error).message).toMatch(message);
    expect(await prisma.user.count({ where: { email: input.email.trim().toLowerCase() } })).toBe(0);
  });

  it("gives a second person with the same name a team address of their own", async () => {
    const first = await signUp(prisma, { name: "Sam Smith", email: "sam1@example.com", password: "password-one!" });
    const second = await signUp(prisma, { name: "Sam Smith", email: "sam2@example.com", password: "password-two!" });
    expect(first.team.slug).toBe("sam-smith");
    expect(second.team.slug).toMatch(/^sam-smith-[a-z0-9]{5}$/);
  });

  it("falls back to the email for a name that makes no slug", async () => {
    const { team } = await signUp(prisma, { name: "李雷", email: "li.lei@example.com", password: "password-li!" });
    expect(team.slug).toBe("li-lei");
  });
});
