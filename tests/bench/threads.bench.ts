/**
 * `npm run bench:threads`: whether a coordinator's threads run in parallel. A coordinator starts
 * N threads at once (default 10); each thread makes 5 tool calls of 100 ms in the session's shared
 * sandbox, then answers; the coordinator waits for them all and answers. Its wall time is compared
 * with the same coordinator starting one thread. Goal: N threads ≤ 1.5× one thread's wall time.
 * While the N threads run, it records the log's appends: events appended per second, append calls
 * per second and the latency of each append (p50, p99).
 *
 * The model is the scripted one (no I/O) and the sandbox the fake one whose commands take the set
 * time, so what is measured is the harness's scheduling of threads and its log. The store is the
 * embedded PGlite by default, as the server runs it; the session is claimed from the work queue and
 * woken with that lease, as a worker does (every append fenced).
 *
 * Each run must end idle with every command run exactly once (N × 5): otherwise it stops, printing
 * each thread's calls and any call answered twice (how a thread planned from a stale read showed).
 * Prints figures and "met" / "NOT met" against the goal; never fails on them.
 * Knobs: BENCH_THREADS (10), BENCH_THREAD_CALLS (5), BENCH_TOOL_MS (100), BENCH_ROUNDS (3),
 * BENCH_THREADS_BACKEND (memory | pglite | postgres; default pglite).
 */
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore, TAppendOptions, TAppendResult, TEventQuery, TNewSession, TSessionRecord } from "@/lib/event-log/session-store";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import { ScriptedModelClient, textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import type { TModelRequest } from "@/lib/model/types";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { newSessionInput } from "@/tests/fixtures/seed";
import { openBackend, type TBackend, type TBackendKind } from "./harness/backends";
import { say } from "./harness/common";
import { fmt, percentile, printTable } from "./stats";

const THREADS = Number(process.env.BENCH_THREADS ?? 10);
const CALLS = Number(process.env.BENCH_THREAD_CALLS ?? 5);
const TOOL_MS = Number(process.env.BENCH_TOOL_MS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BACKEND = (process.env.BENCH_THREADS_BACKEND ?? "pglite") as TBackendKind;
const GOAL_RATIO = 1.5;

/** The log as the harness appends to it, each append's latency and size recorded. */
class AppendRecorder implements SessionStore {
  latenciesMs: number[] = [];
  events = 0;

  constructor(private readonly inner: SessionStore) {}

  createSession(input: TNewSession): Promise<TSessionRecord> {
    return this.inner.createSession(input);
  }
  getSession(sessionId: string): Promise<TSessionRecord | null> {
    return this.inner.getSession(sessionId);
  }
  getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    return this.inner.getEvents(sessionId, query);
  }
  async appendEvents(sessionId: string, events: readonly unknown[], options?: TAppendOptions): Promise<TAppendResult> {
    const start = performance.now();
    const result = await this.inner.appendEvents(sessionId, events, options);
    this.latenciesMs.push(performance.now() - start);
    this.events += events.length;
    return result;
  }
  reset(): void {
    this.latenciesMs = [];
    this.events = 0;
  }
}

const worker = (n: number) => ({
  id: `agent_worker_${n}`,
  type: "agent",
  version: 1,
  name: `worker-${n}`,
  description: null,
  system: "work",
  model: { id: "claude-bench" },
  tools: [{ type: "agent_toolset_20260401" }],
  mcp_servers: [],
  skills: [],
  execution_identity: { type: "service_account" },
});

const said = (request: TModelRequest) => JSON.stringify(request.messages);
const toolResults = (request: TModelRequest) => said(request).split('"tool_result"').length - 1;

/** Each thread runs `CALLS` commands, one per step, then answers; the coordinator starts `threads`, waits, answers. */
function responder(threads: number) {
  return (request: TModelRequest) => {
    if (request.system?.[0]?.text === "work") {
      return toolResults(request) < CALLS ? toolUseTurn("bash", { command: `sleep-${TOOL_MS}ms` }) : textTurn("Done.");
    }
    if (said(request).includes("Threads settled")) return textTurn("All done.");
    if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
    return {
      content: Array.from({ length: threads }, (_, i) => ({ type: "tool_use" as const, id: `toolu_start_${i + 1}_${Math.random().toString(36).slice(2)}`, name: "start_thread", input: { agent: `worker-${i + 1}`, task: "Run the commands." } })),
    };
  };
}

type TRun = { wallMs: number; commands: number; maxConcurrent: number; events: number; appends: number; latenciesMs: number[] };

async function runCoordinator(backend: TBackend, threads: number, round: number): Promise<TRun> {
  let running = 0;
  let maxConcurrent = 0;
  let commands = 0;
  const provider = new FakeSandboxProvider({
    exec: async () => {
      commands += 1;
      maxConcurrent = Math.max(maxConcurrent, ++running);
      await sleep(TOOL_MS);
      running -= 1;
      return { exitCode: 0, stdout: "ok\n" };
    },
  });
  const store = new AppendRecorder(backend.store);
  const deps = { store, model: new ScriptedModelClient(responder(threads)), sandboxes: new SandboxPool(provider) };
  const agentSnapshot = {
    type: "agent",
    id: "agent_lead",
    version: 1,
    name: "lead",
    model: { id: "claude-bench" },
    system: "coordinate",
    tools: [{ type: "agent_toolset_20260401" }],
    multiagent: { type: "coordinator", agents: Array.from({ length: threads }, (_, i) => worker(i + 1)) },
  };
  const session = await backend.store.createSession(newSessionInput(backend.prereqs, { agentSnapshot }));
  await backend.store.appendEvents(session.id, [say("Run your commands.")], { wake: true });
  const claim = await backend.queue.claim(`bench-threads#${threads}#${round}`, 120_000);
  if (claim?.sessionId !== session.id) throw new Error("the work queue did not hand out the session just woken");
  store.reset();
  const start = performance.now();
  await wake(session.id, deps, { leaseOwner: claim.workerId, snapshot: claim.snapshot });
  const wallMs = performance.now() - start;
  await backend.queue.release(claim);
  const log = await backend.store.getEvents(session.id, { afterSeq: 0, limit: 10_000 });
  const last = log.at(-1);
  if (last?.body.type !== "session.status_idle") throw new Error(`the coordinator did not finish: its log ends with ${last?.body.type}`);
  if (commands !== threads * CALLS) throw new Error(`expected ${threads * CALLS} commands, ran ${commands}; the log: ${describeCalls(log)}`);
  return { wallMs, commands, maxConcurrent, events: store.events, appends: store.latenciesMs.length, latenciesMs: store.latenciesMs };
}

/** Per thread: its bash calls, their starts and results, and any call started or answered more than once. */
function describeCalls(log: readonly TStoredEvent[]): string {
  const perThread = new Map<string, { uses: number; starts: number; results: number }>();
  const starts = new Map<string, number>();
  const results = new Map<string, number>();
  for (const { body } of log) {
    const thread = (body as { session_thread_id?: string }).session_thread_id ?? "primary";
    const counts = perThread.get(thread) ?? { uses: 0, starts: 0, results: 0 };
    perThread.set(thread, counts);
    if (body.type === "agent.tool_use" && body.name === "bash") counts.uses += 1;
    if (body.type === "span.tool_execution_start") {
      counts.starts += 1;
      starts.set(body.tool_use_id, (starts.get(body.tool_use_id) ?? 0) + 1);
    }
    if (body.type === "agent.tool_result") {
      counts.results += 1;
      results.set(body.tool_use_id, (results.get(body.tool_use_id) ?? 0) + 1);
    }
  }
  const twice = (map: Map<string, number>) => [...map].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
  const doubled = new Set([...results].filter(([, n]) => n > 1).map(([id]) => id));
  const around = log.filter((e) => doubled.has(e.id) || ("tool_use_id" in e.body && doubled.has(e.body.tool_use_id as string))).map((e) => ({ seq: e.seq, at: e.createdAt, body: e.body }));
  return JSON.stringify({ threads: Object.fromEntries(perThread), startedTwice: twice(starts), answeredTwice: twice(results), around });
}

const median = (values: number[]) => percentile(values, 50);

console.log(`bench:threads — Node ${process.version}, ${availableParallelism()} cores; ${THREADS} threads × ${CALLS} tool calls of ${TOOL_MS} ms, ${ROUNDS} rounds`);
const backend = await openBackend(BACKEND);
console.log(`store: ${backend.name}`);
try {
  await runCoordinator(backend, 2, 0); // warm-up: the first wake pays for compiling and caches
  const one: TRun[] = [];
  const many: TRun[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    one.push(await runCoordinator(backend, 1, round));
    many.push(await runCoordinator(backend, THREADS, round));
  }
  const oneMs = median(one.map((r) => r.wallMs));
  const manyMs = median(many.map((r) => r.wallMs));
  const ratio = manyMs / oneMs;
  const latencies = many.flatMap((r) => r.latenciesMs);
  const seconds = many.reduce((sum, r) => sum + r.wallMs, 0) / 1000;
  const events = many.reduce((sum, r) => sum + r.events, 0);
  const appends = many.reduce((sum, r) => sum + r.appends, 0);
  printTable(
    "Wall time of the coordinator's turn (median of the rounds)",
    ["threads", "wall ms", "rounds ms", "commands", "most at once", "events", "appends"],
    [
      ["1", fmt(oneMs, 0), one.map((r) => fmt(r.wallMs, 0)).join(" / "), String(one[0]!.commands), String(one[0]!.maxConcurrent), String(one[0]!.events), String(one[0]!.appends)],
      [String(THREADS), fmt(manyMs, 0), many.map((r) => fmt(r.wallMs, 0)).join(" / "), String(many[0]!.commands), String(many[0]!.maxConcurrent), String(many[0]!.events), String(many[0]!.appends)],
    ],
  );
  printTable(
    `The log while ${THREADS} threads run (all rounds)`,
    ["events/s", "appends/s", "append p50 ms", "append p99 ms", "append max ms"],
    [[fmt(events / seconds, 0), fmt(appends / seconds, 0), fmt(percentile(latencies, 50)), fmt(percentile(latencies, 99)), fmt(Math.max(...latencies))]],
  );
  console.log(`\nratio ${THREADS} threads / 1 thread: ${fmt(ratio)}× (one thread alone needs ≥ ${CALLS * TOOL_MS} ms of commands) — goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? "met" : "NOT met"}`);
} finally {
  await backend.close();
}
process.exit(0);
