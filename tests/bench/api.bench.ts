/**
 * `npm run bench:api`: the HTTP API of the real production server (`server.ts`, in a child
 * process), driven through the official `@anthropic-ai/sdk`, on the embedded PGlite and on
 * PostgreSQL (when reachable), in one run. The harness runs in the server and calls the scripted
 * Messages API, which answers every message at once.
 *
 * 1. Requests/s and p50/p99 latency of create-session and send-event (a `user.message`, which
 *    starts a turn, and a `user.interrupt` on an idle session), 8 SDK clients at once.
 * 2. Fan-out: 100 SSE subscribers on one session while 200 messages go to it; the delay from each
 *    event's commit to its arrival at each subscriber, and whether every subscriber got every
 *    event once, in order, with the ids the list returns. Target: p99 < 50 ms.
 *
 * Prints figures and "met" / "NOT met"; never fails on targets.
 * Knobs: BENCH_API_CLIENTS (8), BENCH_API_REQUESTS (500), BENCH_API_SUBSCRIBERS (100), BENCH_API_MESSAGES (200).
 */
import { availableParallelism } from "node:os";
import { echoResponder, startMessagesApiServer } from "@/tests/fixtures/messages-api";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { benchFanOut, MESSAGES, SUBSCRIBERS, type TDistribution, type TFanOut } from "./api/fan-out";
import { buildIfStale, startBenchServer, type TDatabase } from "./api/server";
import { benchThroughput, CLIENTS, REQUESTS, type TOperation } from "./api/throughput";
import { verdict } from "./harness/common";
import { fmt, printTable } from "./stats";

const NAMES: Record<TDatabase, string> = { pglite: "PGlite (embedded)", postgres: "PostgreSQL" };
const FAN_OUT_TARGET_MS = 50;

console.log(`bench:api — Node ${process.version}, ${availableParallelism()} cores; server, model and clients on this machine`);
buildIfStale();
const databases: TDatabase[] = ["pglite"];
const pg = await postgresReachable();
if (pg.ok) databases.push("postgres");
else console.log(`PostgreSQL unreachable (${pg.reason}): measured on PGlite only`);

const api = await startMessagesApiServer({ respond: echoResponder });
const results: Array<{ database: TDatabase; operations: TOperation[]; fanOut: TFanOut }> = [];
for (const database of databases) {
  console.log(`  ${NAMES[database]}: starting the server…`);
  const server = await startBenchServer(database, api.url);
  try {
    console.log(`  ${NAMES[database]}: ${REQUESTS} requests per operation, ${CLIENTS} clients…`);
    const operations = await benchThroughput(server);
    console.log(`  ${NAMES[database]}: fan-out to ${SUBSCRIBERS} subscribers…`);
    const fanOut = await benchFanOut(server);
    results.push({ database, operations, fanOut });
  } finally {
    await server.app.stop();
  }
}
await api.close();

printTable(
  `1. Requests through the SDK — ${CLIENTS} clients at once, ${REQUESTS} requests per operation (latency in ms)`,
  ["database", "operation", "requests/s", "p50", "p99"],
  results.flatMap(({ database, operations }) => operations.map((o) => [NAMES[database], o.name, fmt(o.perSecond, 0), fmt(o.p50), fmt(o.p99)])),
);
console.log("  send user.message: one message to each new session, each starting a turn the harness runs meanwhile;");
for (const { database, operations } of results) {
  const sent = operations.find((o) => o.settledMs !== undefined);
  if (sent) console.log(`    ${NAMES[database]}: every turn ended ${fmt(sent.settledMs!, 0)} ms after the last send was answered (looking at every session takes ${fmt(sent.checkMs!, 0)} ms): ${fmt(sent.turnsPerSecond!, 0)} turns/s from the first send to the last idle`);
}
console.log("  send user.interrupt: on the same sessions once idle again.");

const row = (database: TDatabase, what: string, d: TDistribution) => [NAMES[database], what, fmt(d.p50, 1), fmt(d.p99, 1), fmt(d.max, 1)];
printTable(
  `2. Fan-out — ${SUBSCRIBERS} SSE subscribers (raw fetch) on one session, ${MESSAGES} user.messages sent one after another (delays in ms)`,
  ["database", "delay", "p50", "p99", "max"],
  results.flatMap(({ database, fanOut: f }) => [
    row(database, "commit → each subscriber", f.delay),
    row(database, "commit → first subscriber", f.first),
    row(database, "first → last subscriber", f.spread),
    row(database, "send returned → each (messages; < 0: stream first)", f.fromSend),
  ]),
);
for (const { database, fanOut: f } of results) {
  const pairs = f.events * SUBSCRIBERS;
  console.log(
    `  ${NAMES[database]}: ${f.events} events (${fmt(f.events / f.seconds, 0)}/s) × ${SUBSCRIBERS} subscribers = ${pairs.toLocaleString("en")} deliveries; ` +
      `subscribers' event loop p99 delay ${fmt(f.clientLoopP99, 1)} ms`,
  );
  if (f.problems.length === 0) console.log(`    every subscriber got exactly the listed events, in order: none missed or duplicated`);
  else for (const problem of f.problems.slice(0, 10)) console.log(`    ${problem}`);
  if (f.problems.length > 10) console.log(`    … and ${f.problems.length - 10} more subscribers with problems`);
}
console.log("  Commit = the event's processed_at, stamped in the appending transaction before the write (ms resolution).");

console.log("\nTargets:");
for (const { database, fanOut: f } of results) {
  console.log(`  ${NAMES[database].padEnd(18)} fan-out p99 < ${FAN_OUT_TARGET_MS} ms: ${fmt(f.delay.p99, 1)} ms — ${verdict(f.delay.p99 < FAN_OUT_TARGET_MS)}`);
  console.log(`  ${NAMES[database].padEnd(18)} every event to every subscriber once, in order — ${verdict(f.problems.length === 0)}`);
}
process.exit(0);
