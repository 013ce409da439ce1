import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_TEAM_SLUG, ensureBootstrapKey } from "@/lib/teams/api-keys/ensure-bootstrap-key";
import { hashApiKey } from "@/lib/teams/api-keys/hash-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";

/**
 * Several processes booting at once with the same BOOTSTRAP_API_KEY (as a deployment of several
 * web servers does) each ensure the `default` team and its key: on PostgreSQL, with concurrent
 * connections, none fails on the unique constraints and exactly one team and one key result.
 */
const available = await requirePostgres("the bootstrap key test");

describe.runIf(available)("ensureBootstrapKey from several processes at once", () => {
  let test: TTestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase("postgres");
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it("gives every caller the one default team, with one key", async () => {
    const key = "oma_bootstrap_test_key_0123456789";
    // rounds of concurrent callers on a fresh team each time: the race is between look-up and insert
    for (let round = 0; round < 5; round++) {
      await test.db.prisma.apiKey.deleteMany();
      await test.db.prisma.team.deleteMany({ where: { slug: BOOTSTRAP_TEAM_SLUG } });
      const results = await Promise.all(Array.from({ length: 8 }, () => ensureBootstrapKey(test.db.prisma, key)));
      const team = await test.db.prisma.team.findUniqueOrThrow({ where: { slug: BOOTSTRAP_TEAM_SLUG } });
      expect(new Set(results.map((r) => r.teamId))).toEqual(new Set([team.id]));
      const keys = await test.db.prisma.apiKey.findMany({ where: { keyHash: hashApiKey(key) } });
      expect(keys.map((k) => k.teamId)).toEqual([team.id]);
    }
  });
});
