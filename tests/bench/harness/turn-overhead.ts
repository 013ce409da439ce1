/**
 * Harness overhead per turn: the wall time of `wake` for a turn "user message → one model call
 * answering with text → idle", minus the time spent inside the model's `stream` call. Turns run one
 * at a time, as a worker would drive them: the user message is appended with `wake: true`, the
 * session is claimed from the work queue, and `wake` runs with that lease (every append fenced).
 * The model is the scripted one (no I/O), so what remains is the harness and its store: reads of
 * the log, appends, planning, request building, validation. The statements the wake sends to the
 * database are counted too (`round-trips/count-statements.ts`): a figure the machine's load does
 * not change.
 */
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import { ScriptedModelClient, textTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { postgresReachable, TEST_POSTGRES_URL } from "@/tests/fixtures/postgres";
import { newSessionInput } from "@/tests/fixtures/seed";
import { fmt, percentile, printTable } from "../stats";
import { openBackend, type TBackend, type TBackendKind } from "./backends";
import { mark, since } from "../round-trips/count-statements";
import { AGENT_SNAPSHOT, say, TimedModel, TimedStore, verdict } from "./common";

const SESSIONS = 10;
const TURNS_PER_SESSION = Number(process.env.BENCH_TURNS_PER_SESSION ?? 20);
const WARM_UP_TURNS = 20;
const TARGET_P50_MS = 5;

type TTurnSample = {
  turn: number;
  overheadMs: number;
  readMs: number;
  appendMs: number;
  elsewhereMs: number;
  modelMs: number;
  reads: number;
  appends: number;
  /** Database statements (round trips) sent during the wake. */
  statements: number;
};

const ANSWER = "Here is a short answer of a couple of sentences, streamed in a few pieces. Nothing else to add.";

async function measureTurns(backend: TBackend): Promise<TTurnSample[]> {
  const bus = new InMemoryEventBus();
  const store = new TimedStore(withPublishing(backend.store, bus));
  const model = new TimedModel(new ScriptedModelClient(() => textTurn(ANSWER)));
  const deps = { store, model, bus, sandboxes: new SandboxPool(new FakeSandboxProvider()) };

  async function turn(sessionId: string, index: number): Promise<TTurnSample> {
    await backend.store.appendEvents(sessionId, [say(`message ${index}`)], { wake: true });
    const claim = await backend.queue.claim(`bench#${sessionId}#${index}`, 60_000);
    if (claim?.sessionId !== sessionId) throw new Error("the work queue did not hand out the session just woken");
    store.take();
    model.takeMs();
    const from = mark();
    const start = performance.now();
    // as HarnessWorker does: the claim's snapshot of the session and its log goes to the wake
    await wake(sessionId, deps, { leaseOwner: claim.workerId, snapshot: claim.snapshot });
    const wallMs = performance.now() - start;
    const statements = since(from).length;
    await backend.queue.release(claim);
    const modelMs = model.takeMs();
    const { reads, readMs, appends, appendMs } = store.take();
    const overheadMs = wallMs - modelMs;
    return { turn: index, overheadMs, readMs, appendMs, elsewhereMs: overheadMs - readMs - appendMs, modelMs, reads, appends, statements };
  }
  const newSession = async () => (await backend.store.createSession(newSessionInput(backend.prereqs, { agentSnapshot: AGENT_SNAPSHOT }))).id;

  const warmUp = await newSession();
  for (let i = 1; i <= WARM_UP_TURNS; i++) await turn(warmUp, i);
  const samples: TTurnSample[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const id = await newSession();
    for (let i = 1; i <= TURNS_PER_SESSION; i++) samples.push(await turn(id, i));
  }
  return samples;
}

export async function benchTurnOverhead(): Promise<void> {
  const turns = SESSIONS * TURNS_PER_SESSION;
  console.log(
    `\n2. Harness overhead per turn — ${turns} turns (${SESSIONS} sessions × ${TURNS_PER_SESSION} turns, one at a time, ` +
      `after ${WARM_UP_TURNS} warm-up turns), each "user message → model answers with text → idle" driven by wake under a ` +
      `work-queue lease: wall time of wake minus the time inside the model's stream call (scripted model, no I/O). ` +
      `PGlite runs in memory, PostgreSQL on a scratch database.`,
  );
  const kinds: TBackendKind[] = ["memory", "pglite"];
  const pg = await postgresReachable();
  if (pg.ok) kinds.push("postgres");
  else console.log(`  PostgreSQL at ${new URL(TEST_POSTGRES_URL).host} is unreachable (${pg.reason}): its row is missing.`);

  const rows: string[][] = [];
  const results: Array<{ name: string; p50: number }> = [];
  for (const kind of kinds) {
    const backend = await openBackend(kind);
    try {
      const samples = await measureTurns(backend);
      const of = (key: keyof TTurnSample, q: number, from = samples) => percentile(from.map((s) => s[key]), q);
      const first = samples.filter((s) => s.turn <= 2);
      const last = samples.filter((s) => s.turn > TURNS_PER_SESSION - 2);
      rows.push([
        backend.name,
        fmt(of("overheadMs", 50)),
        fmt(of("overheadMs", 95)),
        `${fmt(of("appendMs", 50))} (${of("appends", 50)})`,
        `${fmt(of("readMs", 50))} (${of("reads", 50)})`,
        fmt(of("elsewhereMs", 50)),
        fmt(of("overheadMs", 50, first)),
        fmt(of("overheadMs", 50, last)),
        fmt(of("modelMs", 50)),
        String(of("statements", 50)),
      ]);
      results.push({ name: backend.name, p50: of("overheadMs", 50) });
    } finally {
      await backend.close();
    }
  }
  printTable(
    "Harness overhead per turn (ms)",
    ["store", "overhead p50", "overhead p95", "in appends p50 (n)", "in reads p50 (n)", "elsewhere p50", "p50 turns 1–2", `p50 turns ${TURNS_PER_SESSION - 1}–${TURNS_PER_SESSION}`, "model p50", "statements p50"],
    rows,
  );
  console.log(`\nTarget: overhead p50 < ${TARGET_P50_MS} ms per turn`);
  for (const r of results) console.log(`  ${r.name.padEnd(30)} ${fmt(r.p50)} ms — ${verdict(r.p50 < TARGET_P50_MS)}`);
}
