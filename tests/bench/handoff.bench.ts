/**
 * `npm run bench:handoff`: how long sessions wait when the worker driving them goes away. Two
 * `npm run worker` processes on one PostgreSQL (their defaults: 15 s lease, 5 s grace), the real
 * SDK against the scripted Messages API, the real bubblewrap sandbox. Each round starts worker A,
 * puts sessions in the middle of a long tool call on it, starts worker B, and stops A; the figure
 * is the time from the signal to each session's next event, which B appends (the interrupted
 * call's result). Rounds with SIGTERM (A hands its leases back) and, for comparison, one with
 * SIGKILL (B waits for the leases to run out).
 *
 * Goal: SIGTERM → next event on another worker p50 < 1 s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/open-database";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { startMessagesApiServer } from "@/tests/fixtures/messages-api";
import { createScratchDatabase, postgresReachable } from "@/tests/fixtures/postgres";
import { newSessionInput, seedSessionPrereqs, userMessage } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { killWorkerProcess, oneToolThenAnswer, runsRecorded, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";
import { fmt, percentile, printTable } from "./stats";

const SIGTERM_ROUNDS = Number(process.env.BENCH_HANDOFF_ROUNDS ?? 6);
const SESSIONS_PER_ROUND = Number(process.env.BENCH_HANDOFF_SESSIONS ?? 4);
const COMMAND = "echo ran >> /workspace/runs.txt; sleep 600";

const reachable = await postgresReachable();
if (!reachable.ok) {
  console.error(`bench:handoff needs PostgreSQL (${reachable.reason})`);
  process.exit(1);
}

const scratch = await createScratchDatabase("oma_bench_handoff");
const db = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: 5 }, { migrate: true });
const store = new PrismaSessionStore(db.prisma, db.sql, workQueueAppendHooks);
const prereqs = await seedSessionPrereqs(db.prisma);
const model = await startMessagesApiServer({ respond: oneToolThenAnswer(COMMAND) });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-bench-handoff-"));
fs.chmodSync(dataDir, 0o711);
const output: string[] = [];
const live = new Set<TWorkerProcess>();
const agentSnapshot = { type: "agent", model: { id: "claude-bench" }, system: null, tools: [{ type: "agent_toolset_20260401" }] };

function startWorker(name: string): TWorkerProcess {
  const worker = startWorkerProcess({
    name,
    output,
    env: { DATABASE_URL: scratch.url, ANTHROPIC_API_KEY: "bench-key", ANTHROPIC_BASE_URL: model.url, DATA_DIR: dataDir, LOG_LEVEL: "info" },
  });
  live.add(worker);
  void worker.exited.then(() => live.delete(worker));
  return worker;
}

/** The shared `until` with this bench's deadline, and the workers' output in its timeout error. */
const untilWorkers = <T>(what: string, check: () => T | Promise<T>) =>
  until(what, check, { timeoutMs: 60_000, intervalMs: 10, detail: () => output.join("").slice(-4_000) });

/** One round: sessions mid-tool on A, B standing by, A stopped by `signal`; ms from the signal to each session's next event. */
async function round(signal: NodeJS.Signals): Promise<{ handoffMs: number[]; exitMs: number }> {
  const a = startWorker("A");
  await a.ready;
  const runsBefore = runsRecorded(dataDir);
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS_PER_ROUND; i++) {
    const session = await store.createSession(newSessionInput(prereqs, { agentSnapshot }));
    await store.appendEvents(session.id, [userMessage("Run the long command.")], { wake: true });
    ids.push(session.id);
  }
  await untilWorkers("the commands to run on A", () => runsRecorded(dataDir) - runsBefore >= SESSIONS_PER_ROUND);
  const b = startWorker("B");
  await b.ready;
  const lastSeqs = await Promise.all(ids.map(async (id) => (await store.getSession(id))!.state.lastSeq));
  const signalledAt = Date.now();
  const exited = killWorkerProcess(a, signal).then(() => Date.now() - signalledAt);
  const handoffMs = await Promise.all(
    ids.map(async (id, i) => {
      let next: { createdAt: string } | undefined;
      await untilWorkers("the session's next event", async () => {
        [next] = await store.getEvents(id, { afterSeq: lastSeqs[i]!, limit: 1 });
        return next !== undefined;
      });
      return new Date(next!.createdAt).getTime() - signalledAt;
    }),
  );
  await untilWorkers("the sessions to finish", async () => (await Promise.all(ids.map((id) => store.getSession(id)))).every((s) => s?.state.status === "idle"));
  const exitMs = await exited;
  await killWorkerProcess(b, "SIGTERM");
  return { handoffMs, exitMs };
}

try {
  const sigterm: number[] = [];
  const exits: number[] = [];
  for (let r = 0; r < SIGTERM_ROUNDS; r++) {
    const { handoffMs, exitMs } = await round("SIGTERM");
    sigterm.push(...handoffMs);
    exits.push(exitMs);
    console.log(`round ${r + 1}/${SIGTERM_ROUNDS}: SIGTERM → next event ${handoffMs.join(", ")} ms; A exited after ${exitMs} ms`);
  }
  const sigkill = (await round("SIGKILL")).handoffMs;
  const row = (label: string, samples: number[]) => [label, String(samples.length), fmt(percentile(samples, 50), 0), fmt(percentile(samples, 95), 0), fmt(Math.max(...samples), 0)];
  printTable(
    `Handoff of sessions mid-tool, ${SESSIONS_PER_ROUND} per round, ms (goal: SIGTERM p50 < 1000)`,
    ["from the signal to", "n", "p50", "p95", "max"],
    [row("SIGTERM → next event on B", sigterm), row("SIGTERM → A exited", exits), row("SIGKILL → next event on B", sigkill)],
  );
} finally {
  await Promise.all([...live].map((w) => killWorkerProcess(w, "SIGKILL")));
  await model.close();
  await db.close();
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
