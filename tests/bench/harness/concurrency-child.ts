/**
 * The measured process of the concurrency section, started by `concurrency.ts` with `--expose-gc`
 * so the heap can be collected before each reading. One `HarnessWorker` (concurrency = S) drives S
 * sessions whose model call waits until the parent says "release". While they all wait, the
 * process's CPU time and the store reads (the harness polls the log for interrupts) are counted
 * for `HOLD_MS`.
 *
 * argv: S; model ("gated": an in-process model that waits, no I/O; "sdk": `AnthropicModelClient`
 * against the parent's Messages API server, which holds each request open); store ("memory",
 * "pglite", "postgres"); the server's URL.
 * IPC: asks the parent `{ type: "await-server", count }` and `{ type: "release" }` (each answered
 * with `{ type: "ok" }`), then sends `{ type: "result", result }`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { untilAborted } from "@/lib/model/abort";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import type { ModelClient, TModelRequest, TModelResponse, TStreamOptions } from "@/lib/model/types";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { newSessionInput } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { openBackend, type TBackendKind } from "./backends";
import { AGENT_SNAPSHOT, say, TimedModel, TimedStore } from "./common";

const WARM_UP_SESSIONS = 20;
const ANSWER = "All done.";
const HOLD_MS = 2_000;

export type TConcurrencyResult = {
  sessions: number;
  /** Model calls started and not finished, and sessions the worker held, when all had started. */
  inFlight: number;
  activeInWorker: number;
  toAllInFlightMs: number;
  before: NodeJS.MemoryUsage;
  during: NodeJS.MemoryUsage;
  /** While every session waited: CPU time of the process (% of one core) and store reads per second. */
  waitingCpuPercent: number;
  waitingReadsPerSecond: number;
  afterReleaseMs: number;
  completed: number;
};

const isWarmUp = (request: TModelRequest) => JSON.stringify(request.messages.at(-1)).includes("warm-up");

/** Answers at once for warm-up sessions; every other call waits for `gate`. */
class GatedModel implements ModelClient {
  readonly description = "gated in-process model";
  constructor(private readonly gate: Promise<void>) {}

  async stream(request: TModelRequest, { signal, onDelta }: TStreamOptions): Promise<TModelResponse> {
    if (!isWarmUp(request)) await Promise.race([this.gate, untilAborted(signal)]);
    onDelta?.({ type: "block_start", index: 0, blockType: "text" });
    onDelta?.({ type: "text", index: 0, text: ANSWER });
    const usage = { input_tokens: 100, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    return { content: [{ type: "text", text: ANSWER }], stopReason: "end_turn", usage };
  }
}

function ask(message: object): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => resolve());
    process.send!(message);
  });
}

function memory(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const sessions = Number(process.argv[2]);
  const kind = process.argv[3];
  const backend = await openBackend(process.argv[4] as TBackendKind);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const inner = kind === "sdk" ? new AnthropicModelClient({ apiKey: "bench-key", baseURL: process.argv[5]! }) : new GatedModel(gate);
  const model = new TimedModel(inner);
  const { queue } = backend;
  const bus = new InMemoryEventBus();
  const store = new TimedStore(withPublishing(backend.store, bus));
  const worker = new HarnessWorker({ store, model, bus, sandboxes: new SandboxPool(new FakeSandboxProvider()) }, queue, {
    concurrency: sessions,
    pollMs: 50,
  });
  worker.start();

  const newSession = async (text: string) => {
    const { id } = await store.createSession(newSessionInput(backend.prereqs, { agentSnapshot: AGENT_SNAPSHOT }));
    await store.appendEvents(id, [say(text)]);
    return id;
  };
  const drive = async (ids: string[]) => {
    for (const id of ids) await queue.enqueue(id);
    worker.notify();
  };

  // Warm-up: the same code paths once, so the "before" reading includes compiled code and pools.
  const warm: string[] = [];
  for (let i = 0; i < WARM_UP_SESSIONS; i++) warm.push(await newSession(`warm-up ${i}`));
  await drive(warm);
  await until("the warm-up sessions", () => model.finished === WARM_UP_SESSIONS && worker.activeSessions === 0, { timeoutMs: 30_000, intervalMs: 10 });

  // The sessions and their user messages exist before the first reading: the log is not the harness's.
  const ids: string[] = [];
  for (let i = 0; i < sessions; i++) ids.push(await newSession(`hello ${i}`));
  const before = memory();

  const start = performance.now();
  await drive(ids);
  const total = WARM_UP_SESSIONS + sessions;
  await until(`${sessions} model calls to start`, () => model.started === total, { timeoutMs: 120_000, intervalMs: 10 });
  if (kind === "sdk") await ask({ type: "await-server", count: total });
  const toAllInFlightMs = performance.now() - start;
  const inFlight = model.started - model.finished;
  const activeInWorker = worker.activeSessions;
  const during = memory();
  store.take();
  const cpuStart = process.cpuUsage();
  await sleep(HOLD_MS);
  const cpu = process.cpuUsage(cpuStart);
  const waitingCpuPercent = ((cpu.user + cpu.system) / 1000 / HOLD_MS) * 100;
  const waitingReadsPerSecond = (store.take().reads / HOLD_MS) * 1000;

  const released = performance.now();
  if (kind === "sdk") await ask({ type: "release" });
  else release();
  await until("every session to finish", () => model.finished === total && worker.activeSessions === 0, { timeoutMs: 120_000, intervalMs: 10 });
  const afterReleaseMs = performance.now() - released;
  let completed = 0;
  for (const id of ids) {
    const session = await store.getSession(id);
    if (session?.state.status === "idle" && session.state.stopReason?.type === "end_turn") completed += 1;
  }
  await worker.stop();
  await backend.close();

  const result: TConcurrencyResult = {
    sessions,
    inFlight,
    activeInWorker,
    toAllInFlightMs,
    before,
    during,
    waitingCpuPercent,
    waitingReadsPerSecond,
    afterReleaseMs,
    completed,
  };
  process.send!({ type: "result", result }, () => process.exit(0));
}

await main();
