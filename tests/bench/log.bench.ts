/**
 * `npm run bench:log`: the session log's write and read speed on the embedded PGlite and on
 * PostgreSQL, in one run. Prints appends/s one at a time and in batches, p50/p99 single-append
 * latency, and the latency of reading a 100-event slice from a 100,000-event session (and, for
 * comparison, from a 1,000-event one: slice reads should not depend on session length).
 *
 * Targets on PostgreSQL: ≥ 5,000 events/s batched, p99 single append < 10 ms, slice read < 5 ms.
 *
 * Each database is measured in a process of its own (as the server runs one database), so that
 * neither is charged for the other's garbage: PGlite's heap is large.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { openTestDatabase, type TDatabaseKind } from "@/tests/fixtures/databases";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { agentMessage, createTestSession, seedSessionPrereqs } from "@/tests/fixtures/seed";
import { fmt, percentile, printTable, timed } from "./stats";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

const SINGLE_APPENDS = Number(process.env.BENCH_SINGLE_APPENDS ?? 2000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
const BATCH_SIZE = 100;
const LONG_SESSION = Number(process.env.BENCH_LONG_SESSION ?? 100_000);
const SLICE_READS = 300;

type TResult = {
  kind: string;
  singlePerSecond: number;
  singleP50: number;
  singleP99: number;
  batchedPerSecond: number;
  sliceLongP50: number;
  sliceLongP99: number;
  sliceShortP50: number;
  sliceShortP99: number;
};

async function sliceLatencies(store: PrismaSessionStore, sessionId: string, length: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SLICE_READS; i++) {
    const afterSeq = Math.floor(Math.random() * (length - 100));
    const [events, ms] = await timed(() => store.getEvents(sessionId, { afterSeq, limit: 100 }));
    if (events.length !== 100) throw new Error(`slice returned ${events.length} events`);
    samples.push(ms);
  }
  return samples;
}

async function fill(store: PrismaSessionStore, sessionId: string, count: number) {
  const batch = Array.from({ length: 1000 }, (_, i) => agentMessage(`filler event ${i} `.padEnd(120, "x")));
  for (let written = 0; written < count; written += 1000) await store.appendEvents(sessionId, batch.slice(0, Math.min(1000, count - written)));
}

async function run(kind: TDatabaseKind): Promise<TResult> {
  const test = await openTestDatabase(kind);
  try {
    const store = new PrismaSessionStore(test.db.prisma, test.db.sql);
    const prereqs = await seedSessionPrereqs(test.db.prisma);

    const single = await createTestSession(store, prereqs);
    for (let i = 0; i < 50; i++) await store.appendEvents(single, [agentMessage("warm-up")]);
    const latencies: number[] = [];
    const [, singleTotal] = await timed(async () => {
      for (let i = 0; i < SINGLE_APPENDS; i++) {
        const [, ms] = await timed(() => store.appendEvents(single, [agentMessage(`single ${i}`)]));
        latencies.push(ms);
      }
    });

    const batched = await createTestSession(store, prereqs);
    const batch = Array.from({ length: BATCH_SIZE }, (_, i) => agentMessage(`batched ${i}`));
    const [, batchTotal] = await timed(async () => {
      for (let i = 0; i < BATCHES; i++) await store.appendEvents(batched, batch);
    });

    process.stdout.write(`  ${kind}: filling a ${LONG_SESSION.toLocaleString("en")}-event session…\n`);
    const long = await createTestSession(store, prereqs);
    await fill(store, long, LONG_SESSION);
    const short = await createTestSession(store, prereqs);
    await fill(store, short, 1000);
    await sliceLatencies(store, long, LONG_SESSION); // warm caches once
    const sliceLong = await sliceLatencies(store, long, LONG_SESSION);
    const sliceShort = await sliceLatencies(store, short, 1000);

    return {
      kind,
      singlePerSecond: (SINGLE_APPENDS / singleTotal) * 1000,
      singleP50: percentile(latencies, 50),
      singleP99: percentile(latencies, 99),
      batchedPerSecond: ((BATCHES * BATCH_SIZE) / batchTotal) * 1000,
      sliceLongP50: percentile(sliceLong, 50),
      sliceLongP99: percentile(sliceLong, 99),
      sliceShortP50: percentile(sliceShort, 50),
      sliceShortP99: percentile(sliceShort, 99),
    };
  } finally {
    await test.cleanup();
  }
}

const only = process.argv[2] as TDatabaseKind | undefined;
if (only) {
  // a child: one database, its figures as the last line
  const result = await run(only);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

function runInChild(kind: TDatabaseKind): TResult {
  const output = execFileSync(process.execPath, [...NODE_HOOKS, fileURLToPath(import.meta.url), kind], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: process.env });
  const lines = output.trim().split("\n");
  for (const line of lines.slice(0, -1)) process.stdout.write(`${line}\n`);
  return JSON.parse(lines.at(-1)!) as TResult;
}

const results: TResult[] = [];
console.log(`bench:log — ${SINGLE_APPENDS} single appends, ${BATCHES}×${BATCH_SIZE} batched, slices of 100 from ${LONG_SESSION.toLocaleString("en")} events`);
results.push(runInChild("pglite"));
const pg = await postgresReachable();
if (pg.ok) results.push(runInChild("postgres"));
else console.log(`PostgreSQL unreachable (${pg.reason}): its column is missing`);

printTable(
  "Session log (latencies in ms)",
  ["database", "single/s", "single p50", "single p99", "batched/s", `slice p50 @${LONG_SESSION / 1000}k`, `slice p99 @${LONG_SESSION / 1000}k`, "slice p50 @1k", "slice p99 @1k"],
  results.map((r) => [
    r.kind,
    fmt(r.singlePerSecond, 0),
    fmt(r.singleP50),
    fmt(r.singleP99),
    fmt(r.batchedPerSecond, 0),
    fmt(r.sliceLongP50),
    fmt(r.sliceLongP99),
    fmt(r.sliceShortP50),
    fmt(r.sliceShortP99),
  ]),
);
const postgres = results.find((r) => r.kind === "postgres");
if (postgres) {
  const check = (ok: boolean) => (ok ? "met" : "NOT met");
  console.log("\nTargets on PostgreSQL:");
  console.log(`  ≥ 5,000 events/s batched:     ${fmt(postgres.batchedPerSecond, 0)} — ${check(postgres.batchedPerSecond >= 5000)}`);
  console.log(`  p99 single append < 10 ms:    ${fmt(postgres.singleP99)} ms — ${check(postgres.singleP99 < 10)}`);
  console.log(`  slice read < 5 ms (p99@100k): ${fmt(postgres.sliceLongP99)} ms — ${check(postgres.sliceLongP99 < 5)}`);
}
process.exit(0);
