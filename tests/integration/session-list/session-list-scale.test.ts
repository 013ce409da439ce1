import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { listSessionRows } from "@/lib/sessions/ui/list-session-rows";
import type { TSessionListQuery } from "@/lib/sessions/ui/session-list-query";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { SCALE_SESSIONS, seedSessions } from "@/tests/fixtures/session-list-seed";

// The sessions list at 10,000 sessions of one team (and 10,000 of another), on PostgreSQL: every
// query a page makes — first page, a page deep in, filtered, searched, going back — is planned on
// an index of the session table, never a sequential scan or a sort of the team's sessions, and the
// rows an unfiltered or filtered page reads stay bounded by the page size however deep it is (the
// plan's actual row counts, from EXPLAIN ANALYZE: a count, not a time). `npm run bench:session-list`
// prints the times of the same pages.

const available = await requirePostgres("the sessions list at scale");

type TPlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: TPlanNode[];
};

function nodesOf(plan: TPlanNode): TPlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe.runIf(available)("the sessions list at 10,000 sessions (PostgreSQL)", { timeout: 180_000 }, () => {
  let database: TTestDatabase;
  let team: TSessionPrereqs;
  let seeded: Awaited<ReturnType<typeof seedSessions>>;
  /** A client of its own that reports every statement it runs, to EXPLAIN exactly what the list asks. */
  let logged: PrismaClient<"query">;
  let pool: pg.Pool;
  const statements: { query: string; params: unknown[] }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    if (database.target.kind !== "postgres") throw new Error("unreachable");
    team = await seedSessionPrereqs(database.db.prisma);
    const other = await seedSessionPrereqs(database.db.prisma);
    pool = new pg.Pool({ connectionString: database.target.url, max: 2 });
    seeded = await seedSessions(database.db.prisma, team, SCALE_SESSIONS);
    await seedSessions(database.db.prisma, other, SCALE_SESSIONS, { slot: 1 });
    await pool.query('ANALYZE "Session"');
    logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.target.url }), log: [{ emit: "event", level: "query" }] });
    logged.$on("query", (event) => statements.push({ query: event.query, params: JSON.parse(event.params) as unknown[] }));
  }, 300_000);
  afterAll(async () => {
    await logged?.$disconnect();
    await pool?.end();
    await database?.cleanup();
  });

  /** Runs a page of the list and EXPLAIN ANALYZEs each statement it made on the session table. */
  async function plansOf(query: TSessionListQuery): Promise<{ rows: number; plans: TPlanNode[] }> {
    statements.length = 0;
    const page = await listSessionRows({ prisma: logged }, { teamId: team.teamId, teamSlug: "t", query });
    const plans: TPlanNode[] = [];
    for (const statement of statements.filter((s) => /FROM "public"\."Session"/.test(s.query))) {
      const result = await pool.query<{ "QUERY PLAN": [{ Plan: TPlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.query}`, statement.params);
      plans.push(result.rows[0]!["QUERY PLAN"][0].Plan);
    }
    return { rows: page.rows.length, plans };
  }

  /** Rows the plan read from the session table: what each scan node returned and what its filter dropped. */
  const sessionRowsRead = (plan: TPlanNode) =>
    nodesOf(plan)
      .filter((node) => node["Relation Name"] === "Session")
      .reduce((sum, node) => sum + (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"], 0);

  const cases: [string, () => TSessionListQuery, string][] = [
    ["the first page", () => ({}), "Session_teamId_id_idx"],
    ["a page 9,000 sessions deep", () => ({ after: seeded.ids[SCALE_SESSIONS - 9_000]! }), "Session_teamId_id_idx"],
    ["a page back from deep in", () => ({ before: seeded.ids[1_000]! }), "Session_teamId_id_idx"],
    ["by status, deep", () => ({ status: "terminated", after: seeded.ids[2_000]! }), "Session_teamId_status_id_idx"],
    ["by agent", () => ({ agent: seeded.agentIds[1]! }), "Session_teamId_agentId_id_idx"],
    ["by who started it, deep", () => ({ by: seeded.userIds[2]!, after: seeded.ids[3_000]! }), "Session_teamId_createdBy_id_idx"],
  ];

  it.each(cases)("plans %s on an index and reads a bounded number of rows", async (_name, query, index) => {
    const { rows, plans } = await plansOf(query());
    expect(rows).toBe(25);
    expect(plans.length).toBeGreaterThanOrEqual(1);
    for (const plan of plans) {
      const nodes = nodesOf(plan);
      expect(nodes.some((node) => node["Relation Name"] === "Session" && node["Node Type"] === "Seq Scan")).toBe(false);
      expect(nodes.some((node) => node["Node Type"] === "Sort")).toBe(false);
      expect(nodes.filter((node) => node["Relation Name"] === "Session").map((node) => node["Index Name"])).toContain(index);
      // 26 for the page (one more tells whether there is another), or 1 for "is there any the other
      // way", and the few archived sessions (1 in 50) the walk steps over
      expect(sessionRowsRead(plan)).toBeLessThanOrEqual(30);
    }
  });

  it("searches on the walk of the team's index: a frequent match reads a few pages' worth, a rare one the team's sessions at most", async () => {
    const frequent = await plansOf({ q: "flaky" }); // one session in four: about four rows read per row shown
    expect(frequent.rows).toBe(25);
    for (const plan of frequent.plans) {
      expect(nodesOf(plan).some((node) => node["Node Type"] === "Seq Scan" || node["Node Type"] === "Sort")).toBe(false);
      expect(sessionRowsRead(plan)).toBeLessThanOrEqual(4 * 26 + 20);
    }
    const rare = await plansOf({ q: "needle-4242" });
    expect(rare.rows).toBe(1);
    const [page] = rare.plans;
    const nodes = nodesOf(page!);
    expect(nodes.some((node) => node["Node Type"] === "Seq Scan")).toBe(false);
    // the search is checked on this team's rows only (read through an index on teamId), never the other team's 10,000
    const indexed = nodes.filter((node) => node["Index Name"]?.startsWith("Session_teamId_"));
    expect(indexed.length).toBeGreaterThan(0);
    for (const node of indexed) expect(node["Actual Rows"] * node["Actual Loops"]).toBeLessThanOrEqual(SCALE_SESSIONS);
  });
});
