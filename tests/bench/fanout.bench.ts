/**
 * `npm run bench:fanout`: live sessions and replays on two real servers (`server.ts`, production
 * build, in child processes) sharing one PostgreSQL database and one Redis. Server A runs the
 * harness against the scripted Messages API (it answers every message at once); server B only
 * serves viewers.
 *
 * 1. Socket.io fan-out: VIEWERS viewers on one session, half on A, half on B, while MESSAGES
 *    `user.message`s are sent to A. Delay from each event's commit to its arrival at each viewer,
 *    and whether every viewer got exactly the listed events, once each, in order. Targets: p99 < 25 ms;
 *    the VIEWERS joins, sent at once, acknowledged in < 100 ms (p50).
 * 2. Replay of a REPLAY_EVENTS-event session: the server time to produce the replay data and, once
 *    the replay page exists, the browser time until the player has rendered.
 *
 * Prints figures and "met" / "NOT met"; never fails on targets.
 * Knobs: BENCH_FANOUT_VIEWERS (200), BENCH_FANOUT_MESSAGES (200), BENCH_FANOUT_REPLAY_EVENTS (10000),
 * BENCH_FANOUT_REPLAY_RUNS (5).
 */
import { availableParallelism } from "node:os";
import { echoResponder, startMessagesApiServer } from "@/tests/fixtures/messages-api";
import { postgresReachable, TEST_POSTGRES_URL } from "@/tests/fixtures/postgres";
import { redisReachable, TEST_REDIS_URL } from "@/tests/fixtures/redis";
import { buildIfStale } from "./api/server";
import { benchReplay, REPLAY_EVENTS, type TTimes } from "./fanout/replay";
import { startServers } from "./fanout/servers";
import { benchSocketFanOut, MESSAGES, VIEWERS, type TDistribution } from "./fanout/socket-fan-out";
import { verdict } from "./harness/common";
import { fmt, printTable } from "./stats";

const FAN_OUT_TARGET_MS = 25;
/** For the median viewer of VIEWERS joining one session at once. */
const JOIN_TARGET_MS = 100;

console.log(`bench:fanout — Node ${process.version}, ${availableParallelism()} cores; both servers, PostgreSQL, Redis, model and viewers on this machine`);
const [pg, redis] = await Promise.all([postgresReachable(), redisReachable()]);
if (!pg.ok || !redis.ok) {
  if (!pg.ok) console.log(`PostgreSQL at ${new URL(TEST_POSTGRES_URL).host} is unreachable (${pg.reason})`);
  if (!redis.ok) console.log(`Redis at ${new URL(TEST_REDIS_URL).host} is unreachable (${redis.reason})`);
  console.log("bench:fanout needs both (two servers share them): nothing measured");
  process.exit(0);
}
buildIfStale();

const model = await startMessagesApiServer({ respond: echoResponder });
console.log("  starting two servers on one scratch PostgreSQL database and Redis…");
const servers = await startServers({ redisUrl: TEST_REDIS_URL, modelUrl: model.url });
let exitCode = 0;
try {
  for (const [name, server] of [["A", servers.a], ["B", servers.b]] as const) {
    if (!server.output().includes("realtime: Redis at")) console.log(`  WARNING: server ${name} does not say it uses Redis:\n${server.output()}`);
  }
  console.log(`  1. ${VIEWERS} Socket.io viewers, ${MESSAGES} messages…`);
  const f = await benchSocketFanOut(servers);
  console.log(`  2. a ${REPLAY_EVENTS.toLocaleString("en")}-event session for replay…`);
  const r = await benchReplay(servers, (line) => console.log(`     ${line}`));

  const row = (what: string, d: TDistribution) => [what, d.count.toLocaleString("en"), fmt(d.p50, 1), fmt(d.p99, 1), fmt(d.max, 1)];
  printTable(
    `1. Socket.io fan-out — ${VIEWERS} viewers on one session (${Math.ceil(VIEWERS / 2)} on server A, ${Math.floor(VIEWERS / 2)} on server B), ${MESSAGES} user.messages sent to A one after another (ms)`,
    ["delay", "samples", "p50", "p99", "max"],
    [
      row("commit → each viewer", f.delay.all),
      row("  viewers on A (same process as the commit)", f.delay.onA),
      row("  viewers on B (through the Redis event bus)", f.delay.onB),
      row("commit → first viewer, per event", f.delay.first),
      row("first → last viewer, per event", f.delay.spread),
      row(`session:join → ack, ${VIEWERS} at once`, f.join),
    ],
  );
  console.log(
    `  ${f.events} events (${fmt(f.events / f.seconds, 0)}/s: the messages and the turns A's harness ran for them) × ${VIEWERS} viewers = ` +
      `${(f.events * VIEWERS).toLocaleString("en")} deliveries; the viewers' event loop p99 delay ${fmt(f.viewersLoopP99, 1)} ms`,
  );
  if (f.afterIdle.length > 0) console.log(`  NOTE: ${f.afterIdle.length} events were appended after the session went idle: ${f.afterIdle.join(", ")}`);
  if (f.problems.length === 0) console.log("  every viewer got exactly the listed events, in order, seqs increasing: none missed or duplicated");
  else for (const problem of f.problems.slice(0, 10)) console.log(`  ${problem}`);
  if (f.problems.length > 10) console.log(`  … and ${f.problems.length - 10} more viewers with problems`);
  console.log("  Commit = the event's processed_at, stamped in the appending transaction before the write (ms resolution);");
  console.log("  arrival = when the viewer's session:events handler ran (all viewers share one Node process).");

  printTable(
    `2. Replay of a ${r.events.toLocaleString("en")}-event session — server time to produce the data (ms; first run, then ${r.loads[0]?.runs ?? 0} more)`,
    ["request", "requests", "MiB", "first", "p50", "max"],
    r.loads.map((l) => [l.what, String(l.requests), fmt(l.bytes / 1024 / 1024, 1), fmt(l.first, 0), fmt(l.p50, 0), fmt(l.max, 0)]),
  );
  console.log(`  (session built in ${fmt(r.seedSeconds, 1)} s: a template session's real events appended through PrismaSessionStore)`);
  if (!r.page) console.log("  No replay page exists yet: the figure above is the events API, which any replay will have to match or beat.");
  if ("pending" in r.browser) console.log(`  Browser time to the rendered player: ${r.browser.pending}`);
  else {
    const t = (x: TTimes) => [fmt(x.first, 0), fmt(x.p50, 0), fmt(x.max, 0)];
    printTable(
      `Browser time to the rendered player — headless Chromium (Playwright) on ${r.page}; ms from navigation start, first run then ${r.browser.lastItem.runs} more, each in a fresh context`,
      ["the timeline's…", "first", "p50", "max"],
      [
        ["first item visible (server-rendered HTML painted)", ...t(r.browser.firstItem)],
        ["whole log loaded (every page fetched and folded)", ...t(r.browser.lastItem)],
      ],
    );
  }

  console.log("\nTargets:");
  console.log(`  Socket.io fan-out p99 < ${FAN_OUT_TARGET_MS} ms: ${fmt(f.delay.all.p99, 1)} ms — ${verdict(f.delay.all.p99 < FAN_OUT_TARGET_MS)}`);
  console.log(`  ${VIEWERS} joins at once, session:join → ack p50 < ${JOIN_TARGET_MS} ms: ${fmt(f.join.p50, 1)} ms — ${verdict(f.join.p50 < JOIN_TARGET_MS)}`);
  console.log(`  every event to every viewer once, in order — ${verdict(f.problems.length === 0)}`);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await servers.stop();
  await model.close();
}
process.exit(exitCode);
