import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateUser } from "@/lib/auth/authenticate-user";
import { signUp } from "@/lib/auth/sign-up";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";

describe("authenticateUser", { timeout: 30_000 }, () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
    ({ user: { id: userId } } = await signUp(prisma, { name: "Ada", email: "ada@example.com", password: "analytical-engine" }));
  }, 120_000);
  afterAll(async () => {
    await database?.cleanup();
  });

  it("accepts the right password, with the email in any case", async () => {
    expect(await authenticateUser(prisma, { email: "ada@example.com", password: "analytical-engine" })).toEqual({ id: userId, email: "ada@example.com", name: "Ada" });
    expect(await authenticateUser(prisma, { email: " ADA@example.com", password: "analytical-engine" })).toMatchObject({ id: userId });
  });

  it("refuses a wrong password, an unknown email and an account without a password alike", async () => {
    await prisma.user.create({ data: { id: newId("user"), email: "nopassword@example.com", name: "No password" } });
    expect(await authenticateUser(prisma, { email: "ada@example.com", password: "analytical-engine " })).toBeNull();
    expect(await authenticateUser(prisma, { email: "ada@example.com", password: "" })).toBeNull();
    expect(await authenticateUser(prisma, { email: "nobody@example.com", password: "analytical-engine" })).toBeNull();
    expect(await authenticateUser(prisma, { email: "nopassword@example.com", password: "anything-at-all" })).toBeNull();
    expect(await authenticateUser(prisma, { email: "not an email", password: "analytical-engine" })).toBeNull();
  });

  it("spends a password verification on unknown emails too, so timing does not tell who is registered", async () => {
    const time = async (email: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await authenticateUser(prisma, { email, password: "wrong-password" });
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const known = await time("ada@example.com");
    const unknown = await time("nobody@example.com");
    // A database lookup alone takes a small fraction of an argon2id verification.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });
});
