/**
 * What traces cost the harness per turn (section 4 of `npm run bench:harness`, alone in
 * `npm run bench:tracing`). The same turns (user message →
 * model call with a bash tool call → tool run in a fake sandbox → model call answering with text →
 * idle) run with tracing off (no decorators: what a server without OTEL_* runs) and on (every
 * decorator of lib/telemetry, the AsyncLocalStorage context manager, a batch span processor whose
 * exporter discards what it gets: everything but the network). The in-memory log and scripted model
 * keep the database and the model out of the figures. Rounds alternate off/on so that drift in the
 * machine's load falls on both. With PostgreSQL or PGlite, tracing adds one statement per turn on
 * top of this (the hand-off of the caller's trace context, `PrismaTraceHandoff.take`).
 */
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { wake } from "@/lib/harness/wake";
import { ScriptedModelClient, textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { harnessTelemetry } from "@/lib/telemetry/harness-telemetry";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";
import { fmt, percentile, printTable } from "../stats";
import { AGENT_SNAPSHOT, say } from "./common";

const ROUNDS = Number(process.env.BENCH_TRACING_ROUNDS ?? process.env.BENCH_ROUNDS ?? 40);
const TURNS_PER_ROUND = Number(process.env.BENCH_TURNS_PER_ROUND ?? 10);
const TARGET_MS = 1;

const DISCARD: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

type TSetup = { deps: THarnessDeps; run: (sessionId: string) => Promise<unknown>; store: InMemorySessionStore };

function setup(traced: boolean, provider: BasicTracerProvider): TSetup {
  const store = new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() });
  let calls = 0;
  const model = new ScriptedModelClient(() => (calls++ % 2 === 0 ? toolUseTurn("bash", { command: "ls" }) : textTurn("Two files.")));
  const sandboxes = { forEnvironment: () => new FakeSandboxProvider({ exec: () => ({ exitCode: 0, stdout: "a\nb\n" }) }), shutdown: async () => {} };
  if (!traced) {
    const deps: THarnessDeps = { store, model, sandboxes: new SandboxPool(sandboxes) };
    return { deps, store, run: (id) => wake(id, deps) };
  }
  const telemetry = harnessTelemetry({ tracing: { tracer: provider.getTracer("bench"), captureContent: false } });
  const logged = telemetry.log(store);
  const deps: THarnessDeps = { store: telemetry.store(logged), model: telemetry.model(model), sandboxes: new SandboxPool(telemetry.providers(sandboxes)) };
  const tracedWake = telemetry.wake(wake);
  return { deps, store, run: (id) => tracedWake(id, deps) };
}

async function round(traced: boolean, provider: BasicTracerProvider): Promise<number[]> {
  const { store, run } = setup(traced, provider);
  const session = await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: AGENT_SNAPSHOT }));
  const samples: number[] = [];
  for (let i = 0; i < TURNS_PER_ROUND; i++) {
    await store.appendEvents(session.id, [say(`message ${i}`)], { wake: true });
    const start = performance.now();
    await run(session.id);
    samples.push(performance.now() - start);
  }
  return samples;
}

/**
 * Runs the turns off and on and prints both figures and the overhead. It installs the global
 * context manager and propagator while on: run it last in a process.
 */
export async function benchTracingOverhead(): Promise<{ offP50Ms: number; onP50Ms: number; overheadP50Ms: number }> {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(DISCARD)] });
  const off: number[] = [];
  const on: number[] = [];
  await round(false, provider); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    context.disable();
    propagation.disable();
    off.push(...(await round(false, provider)));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    on.push(...(await round(true, provider)));
  }
  await provider.shutdown();
  const rows = [
    ["off", fmt(percentile(off, 50)), fmt(percentile(off, 95)), String(off.length)],
    ["on", fmt(percentile(on, 50)), fmt(percentile(on, 95)), String(on.length)],
  ];
  printTable("harness turn with one tool call, tracing off vs on (ms per turn)", ["tracing", "p50", "p95", "turns"], rows);
  const overhead = percentile(on, 50) - percentile(off, 50);
  console.log(`overhead of tracing, p50: ${fmt(overhead, 3)} ms per turn (goal < ${TARGET_MS} ms: ${overhead < TARGET_MS ? "met" : "NOT met"})`);
  return { offP50Ms: percentile(off, 50), onP50Ms: percentile(on, 50), overheadP50Ms: overhead };
}
