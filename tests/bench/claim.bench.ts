/**
 * `npm run bench:claim`: what a worker's claim costs as a session's log grows, and what the worker's
 * log cache (lib/harness/log-cache.ts) saves. Per session length, on PostgreSQL (when reachable) and
 * the embedded PGlite: a user message is appended with `wake: true`, then the session is claimed
 * (`PrismaWorkQueue.claim`, statements on the driver, as the server runs it) and released, ROUNDS
 * times, alternately
 * - knowing nothing: the claim brings the session's whole log (as a worker's first wake of it), and
 * - knowing the log up to the message before (`known`, as the worker that drove the last turn): the
 *   claim brings the one new event.
 * Times are of the claim call, parse included. Prints figures; no target.
 * Knobs: BENCH_CLAIM_LENGTHS ("100,1000,4000"), BENCH_CLAIM_ROUNDS (60).
 */
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { PrismaWorkQueue, workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { openTestDatabase, type TDatabaseKind } from "@/tests/fixtures/databases";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { agentMessage, createTestSession, seedSessionPrereqs, userMessage } from "@/tests/fixtures/seed";
import { fmt, percentile, printTable, timed } from "./stats";

const LENGTHS = (process.env.BENCH_CLAIM_LENGTHS ?? "100,1000,4000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_CLAIM_ROUNDS ?? 60);

async function measure(kind: TDatabaseKind): Promise<string[][]> {
  const test = await openTestDatabase(kind);
  try {
    const store = new PrismaSessionStore(test.db.prisma, test.db.sql, workQueueAppendHooks);
    const queue = new PrismaWorkQueue(test.db.prisma, test.db.sql);
    const prereqs = await seedSessionPrereqs(test.db.prisma);
    const rows: string[][] = [];
    for (const length of LENGTHS) {
      const id = await createTestSession(store, prereqs);
      // events of a turn's size: an answer of a few sentences each
      const batch = Array.from({ length: 500 }, (_, i) => agentMessage(`an answer of a few sentences, number ${i}. `.repeat(6)));
      for (let written = 0; written < length; written += 500) await store.appendEvents(id, batch.slice(0, Math.min(500, length - written)));
      const times = { whole: [] as number[], known: [] as number[] };
      const brought = { whole: 0, known: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const knows = round % 2 === 1;
        const { events } = await store.appendEvents(id, [userMessage(`message ${round}`)], { wake: true });
        const known = knows ? new Map([[id, events[0]!.seq - 1]]) : undefined;
        const [claim, ms] = await timed(() => queue.claim(`bench#${round}`, 60_000, known));
        if (claim?.sessionId !== id || !claim.snapshot) throw new Error("the claim did not bring the session just woken");
        await queue.release(claim);
        if (round < 4) continue; // warm-up
        times[knows ? "known" : "whole"].push(ms);
        brought[knows ? "known" : "whole"] = claim.snapshot.events.length;
      }
      for (const mode of ["whole", "known"] as const) {
        const what = mode === "whole" ? "whole log (knows nothing)" : "new events only (knows the log before)";
        rows.push([kind, length.toLocaleString("en"), what, String(brought[mode]), fmt(percentile(times[mode], 50)), fmt(percentile(times[mode], 95))]);
      }
    }
    return rows;
  } finally {
    await test.cleanup();
  }
}

console.log(`bench:claim — ${ROUNDS} claims per session length (half of each kind), session lengths ${LENGTHS.join(", ")} events`);
const rows: string[][] = [];
const pg = await postgresReachable();
if (pg.ok) rows.push(...(await measure("postgres")));
else console.log(`PostgreSQL unreachable (${pg.reason}): its rows are missing`);
rows.push(...(await measure("pglite")));
printTable("A worker's claim of a session with a new message (ms)", ["database", "log length", "the claim brings", "events brought", "p50", "p95"], rows);
process.exit(0);
