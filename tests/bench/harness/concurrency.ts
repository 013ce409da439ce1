/**
 * Concurrency: how many sessions one process drives at once while they all wait on the model.
 * Rows: the in-memory store with an in-process model and with the real SDK (a held-open HTTP
 * request per session), then PGlite and PostgreSQL with the in-process model. Each measurement runs in a fresh child process (`concurrency-child.ts`, `--expose-gc`): S sessions
 * go through one `HarnessWorker` with concurrency S; once every model call has started (and, with
 * the real SDK, every request has reached the Messages API server, which holds them open) the heap
 * and RSS are read after a full GC and compared with the reading taken just before the sessions
 * were handed to the worker. Then the model answers and every session must reach idle `end_turn`.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";
import { fmt, printTable } from "../stats";
import { BACKEND_NAMES, type TBackendKind } from "./backends";
import { kib, mib, verdict } from "./common";
import type { TConcurrencyResult } from "./concurrency-child";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

const CHILD = fileURLToPath(new URL("./concurrency-child.ts", import.meta.url));
const SIZES = (process.env.BENCH_CONCURRENCY ?? "500,1000").split(",").map(Number);
const TARGET = 500;

type TChildMessage = { type: "await-server"; count: number } | { type: "release" } | { type: "result"; result: TConcurrencyResult };

type TModelKind = "gated" | "sdk";
const MODEL_LABELS: Record<TModelKind, string> = { gated: "in-process, no I/O", sdk: "real SDK, HTTP open" };

async function runChild(sessions: number, kind: TModelKind, store: TBackendKind): Promise<TConcurrencyResult> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let api: MessagesApiServer | undefined;
  if (kind === "sdk") {
    api = await startMessagesApiServer({
      respond: async (request) => {
        if (!JSON.stringify(request.body.messages.at(-1)).includes("warm-up")) await gate;
        return { content: [{ type: "text", text: "All done." }] };
      },
    });
  }
  const child = fork(CHILD, [String(sessions), kind, store, api?.url ?? ""], { execArgv: ["--expose-gc", ...NODE_HOOKS] });
  try {
    return await new Promise<TConcurrencyResult>((resolve, reject) => {
      child.on("message", (message: TChildMessage) => {
        if (message.type === "result") resolve(message.result);
        else if (message.type === "release") {
          release();
          child.send({ type: "ok" });
        } else if (message.type === "await-server") {
          until("the requests to reach the server", () => api!.requests.length >= message.count, { timeoutMs: 60_000, intervalMs: 10 }).then(
            () => child.send({ type: "ok" }),
            reject,
          );
        }
      });
      child.on("exit", (code) => reject(new Error(`the measuring process exited (${code}) before reporting`)));
    });
  } finally {
    if (child.exitCode === null) child.kill();
    await api?.close();
  }
}

export async function benchConcurrency(): Promise<void> {
  console.log(
    `\n3. Concurrency — S sessions at once through one HarnessWorker (concurrency S), each waiting on its model call; ` +
      `each row measured in a fresh child process with --expose-gc (memory read after a full GC, before the sessions are ` +
      `handed to the worker and once all their model calls have started; the sessions' logs exist in both readings).`,
  );
  const runs: Array<{ model: TModelKind; store: TBackendKind; sessions: number }> = [];
  for (const model of ["gated", "sdk"] as const) for (const sessions of SIZES) runs.push({ model, store: "memory", sessions });
  runs.push({ model: "gated", store: "pglite", sessions: SIZES[0]! });
  const pg = await postgresReachable();
  if (pg.ok) runs.push({ model: "gated", store: "postgres", sessions: SIZES[0]! });
  else console.log(`  PostgreSQL is unreachable (${pg.reason}): its row is missing.`);

  const results: Array<TConcurrencyResult & { label: string }> = [];
  for (const run of runs) {
    const result = await runChild(run.sessions, run.model, run.store);
    results.push({ ...result, label: `${MODEL_LABELS[run.model]}, ${BACKEND_NAMES[run.store]}` });
  }
  printTable(
    "Sessions in flight in one process",
    ["model, store", "S", "in flight", "held by worker", "to all in flight", "CPU while waiting", "store reads/s while waiting", "done after release", "idle end_turn"],
    results.map((r) => [
      r.label,
      String(r.sessions),
      String(r.inFlight),
      String(r.activeInWorker),
      `${fmt(r.toAllInFlightMs, 0)} ms`,
      `${fmt(r.waitingCpuPercent, 0)}% of a core`,
      fmt(r.waitingReadsPerSecond, 0),
      `${fmt(r.afterReleaseMs, 0)} ms`,
      `${r.completed}/${r.sessions}`,
    ]),
  );
  printTable(
    "Memory of the process driving them",
    ["model, store", "S", "heap before", "heap during", "heap / session", "RSS before", "RSS during", "RSS / session"],
    results.map((r) => [
      r.label,
      String(r.sessions),
      mib(r.before.heapUsed),
      mib(r.during.heapUsed),
      kib((r.during.heapUsed - r.before.heapUsed) / r.sessions),
      mib(r.before.rss),
      mib(r.during.rss),
      kib((r.during.rss - r.before.rss) / r.sessions),
    ]),
  );
  console.log(`\nTarget: ≥ ${TARGET} sessions in flight at once in one process (all S in flight, then all idle end_turn)`);
  for (const r of results) {
    const ok = r.sessions >= TARGET && r.inFlight === r.sessions && r.activeInWorker === r.sessions && r.completed === r.sessions;
    console.log(`  ${r.label.padEnd(40)} S=${String(r.sessions).padEnd(5)} ${r.inFlight} in flight, ${r.completed} completed — ${verdict(ok)}`);
  }
}
