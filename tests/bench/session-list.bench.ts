/**
 * `npm run bench:session-list`: the sessions list's page query (lib/sessions/ui/list-session-rows.ts)
 * on PostgreSQL with 10,000 sessions in the team listed (and 10,000 in another team), and on
 * PGlite with the same: the time of a page — the first, one 9,000 sessions deep, one back from
 * there, filtered by status, agent and who started it, and searched (a frequent and a rare match) —
 * as p50/p95 over repeated reads. A keyset page should cost the same at any depth.
 *
 * Prints figures and "met" / "NOT met" against the target; never fails. The plans themselves are
 * checked by tests/integration/session-list/session-list-scale.test.ts.
 * Knobs: BENCH_SESSION_LIST_SESSIONS (10000), BENCH_SESSION_LIST_READS (50).
 */
import { availableParallelism } from "node:os";
import { listSessionRows } from "@/lib/sessions/ui/list-session-rows";
import type { TSessionListQuery } from "@/lib/sessions/ui/session-list-query";
import { openTestDatabase, type TDatabaseKind } from "@/tests/fixtures/databases";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { seedSessionPrereqs } from "@/tests/fixtures/seed";
import { seedSessions } from "@/tests/fixtures/session-list-seed";
import { fmt, percentile, printTable, timed } from "./stats";

const SESSIONS = Number(process.env.BENCH_SESSION_LIST_SESSIONS ?? 10_000);
const READS = Number(process.env.BENCH_SESSION_LIST_READS ?? 50);
/** A page of the list should read in a few milliseconds whatever its depth. */
const TARGET_P95_MS = 20;

console.log(`bench:session-list — Node ${process.version}, ${availableParallelism()} cores; ${SESSIONS.toLocaleString("en-US")} sessions per team, ${READS} reads per page`);
const kinds: TDatabaseKind[] = [];
const reachable = await postgresReachable();
if (reachable.ok) kinds.push("postgres");
else console.log(`PostgreSQL unreachable (${reachable.reason}): measured on PGlite only`);
kinds.push("pglite");

for (const kind of kinds) {
  const database = await openTestDatabase(kind);
  try {
    const { prisma } = database.db;
    const team = await seedSessionPrereqs(prisma);
    const other = await seedSessionPrereqs(prisma);
    const seeded = await seedSessions(prisma, team, SESSIONS);
    await seedSessions(prisma, other, SESSIONS, { slot: 1 });
    await prisma.$executeRawUnsafe('ANALYZE "Session"');
    const deep = Math.max(0, SESSIONS - 9_000);
    const pages: [string, TSessionListQuery][] = [
      ["first page", {}],
      [`after the ${(SESSIONS - deep).toLocaleString("en-US")}th newest`, { after: seeded.ids[deep]! }],
      ["back (before) from there", { before: seeded.ids[deep]! }],
      ["status = terminated, deep", { status: "terminated", after: seeded.ids[deep]! }],
      ["one agent", { agent: seeded.agentIds[1]! }],
      ["one person, deep", { by: seeded.userIds[2]!, after: seeded.ids[deep]! }],
      ['search "flaky" (1 in 4)', { q: "flaky" }],
      ['search "needle-4242" (1 in all)', { q: "needle-4242" }],
    ];
    const rows: string[][] = [];
    for (const [name, page] of pages) {
      const read = () => listSessionRows({ prisma }, { teamId: team.teamId, teamSlug: "t", query: page });
      await read(); // warm
      const samples: number[] = [];
      let count = 0;
      for (let i = 0; i < READS; i++) {
        const [result, ms] = await timed(read);
        samples.push(ms);
        count = result.rows.length;
      }
      const p95 = percentile(samples, 95);
      rows.push([name, String(count), fmt(percentile(samples, 50)), fmt(p95), p95 <= TARGET_P95_MS ? "met" : "NOT met"]);
    }
    printTable(`${kind === "postgres" ? "PostgreSQL" : "PGlite (embedded)"}: one page of 25 (ms, whole use-case: page, neighbour check, names)`, ["page", "rows", "p50", "p95", `p95 ≤ ${TARGET_P95_MS} ms`], rows);
  } finally {
    await database.cleanup();
  }
}
