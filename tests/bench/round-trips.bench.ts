/**
 * `node --import ./scripts/node-hooks.mjs tests/bench/round-trips.bench.ts`: the database
 * statements (round trips) of the hot path from a message to the model's first token, counted per
 * step on PGlite and PostgreSQL. The steps are those of `npm run bench:ttft`, composed here in one
 * process as the server composes them (`createHarness`, `buildRoot`): the API key check,
 * `sendEvents` (the session check and the append that wakes the session), the in-process
 * `HarnessWorker`'s claim, `wake` up to the model request, and the rest of the turn (the answer,
 * the session going idle, the release).
 *
 * Counts do not depend on the machine's load; the milliseconds beside them do (p50 per step).
 * Knobs: BENCH_RT_TURNS (30), BENCH_RT_DATABASES ("pglite,postgres").
 */
import { availableParallelism } from "node:os";
import type { SessionStore } from "@/lib/event-log/session-store";
import { HarnessWorker } from "@/lib/harness/harness-worker";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { TClaim, WorkQueue } from "@/lib/harness/work-queue";
import type { ModelClient, TModelRequest, TModelResponse, TStreamOptions } from "@/lib/model/types";
import { ScriptedModelClient, textTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { sendEvents } from "@/lib/sessions/send-events";
import { authenticateApiKey } from "@/lib/teams/api-keys/authenticate-api-key";
import { ensureBootstrapKey } from "@/lib/teams/api-keys/ensure-bootstrap-key";
import { newSecretToken } from "@/lib/ids";
import { openTestDatabase } from "@/tests/fixtures/databases";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { newSessionInput } from "@/tests/fixtures/seed";
import { withDeadline } from "@/tests/fixtures/wait";
import { composeHotPath } from "./round-trips/compose";
import { describeStatement, installStatementCounter, mark, since, withTag, type TStatement } from "./round-trips/count-statements";
import { AGENT_SNAPSHOT } from "./harness/common";
import { fmt, percentile, printTable } from "./stats";

installStatementCounter();

const TURNS = Number(process.env.BENCH_RT_TURNS ?? 30);
const WARM_UP = 5;
type TDatabase = "pglite" | "postgres";
const NAMES: Record<TDatabase, string> = { pglite: "PGlite (embedded)", postgres: "PostgreSQL" };
const STEPS = ["API key check", "send: lookup + append + wake", "claim", "wake → model request", "model answer → idle → release"] as const;
type TStep = (typeof STEPS)[number];
type TTurn = Record<TStep, { statements: TStatement[]; idleClaims: number; ms: number }>;

/**
 * The worker's queue, noting when each claim starts and ends and tagging its statements (`claim#n`),
 * so that the claims a worker makes while it looks for more work (they find none) are told apart.
 */
class MarkedQueue implements WorkQueue {
  onClaim?: (phase: "start" | "end", claim: TClaim | null) => void;
  onRelease?: () => void;
  /** The tags of the claims that found nothing. */
  readonly empty = new Set<string>();
  private claims = 0;
  constructor(private readonly inner: WorkQueue) {}
  enqueue = (id: string) => this.inner.enqueue(id);
  async claim(workerId: string, leaseMs: number, known?: ReadonlyMap<string, number>) {
    const tag = `claim#${++this.claims}`;
    this.onClaim?.("start", null);
    const claim = await withTag(tag, () => this.inner.claim(workerId, leaseMs, known));
    if (!claim) this.empty.add(tag);
    this.onClaim?.("end", claim);
    return claim;
  }
  renew = (claim: TClaim, leaseMs: number) => this.inner.renew(claim, leaseMs);
  async release(claim: TClaim) {
    const requeued = await this.inner.release(claim);
    this.onRelease?.();
    return requeued;
  }
  abandon = (claim: TClaim) => this.inner.abandon(claim);
  holdsLease = (id: string, workerId: string) => this.inner.holdsLease(id, workerId);
}

/** The scripted model, noting when the request reaches it. */
class MarkedModel implements ModelClient {
  readonly description = "scripted, marked";
  onCall?: () => void;
  private readonly inner = new ScriptedModelClient(() => textTurn("Fine, thanks. A short answer in a few pieces."));
  stream(request: TModelRequest, options: TStreamOptions): Promise<TModelResponse> {
    this.onCall?.();
    return this.inner.stream(request, options);
  }
}

async function benchDatabase(kind: TDatabase): Promise<{ turns: TTurn[]; claimedInAppends: number }> {
  const test = await openTestDatabase(kind);
  const bus = new InMemoryEventBus();
  let worker: HarnessWorker | undefined;
  const { store, queue: inner } = composeHotPath(test.db, bus, () => worker);
  const queue = new MarkedQueue(inner);
  const model = new MarkedModel();
  worker = new HarnessWorker({ store, model, bus, sandboxes: new SandboxPool(new FakeSandboxProvider()) }, queue, { pollMs: 60_000 });
  const key = newSecretToken("oma_");
  const { teamId } = await ensureBootstrapKey(test.db.prisma, key);
  await test.db.prisma.agent.create({
    data: { id: "agent_bench", teamId, currentVersion: 1, versions: { create: { version: 1, name: "bench", model: { id: "claude-bench" }, tools: [], mcpServers: [], skills: [], metadata: {} } } },
  });
  await test.db.prisma.environment.create({ data: { id: "env_bench", teamId, name: "bench", config: { type: "cloud" }, metadata: {} } });
  const session = await store.createSession(newSessionInput({ teamId, agentId: "agent_bench", environmentId: "env_bench" }, { agentSnapshot: AGENT_SNAPSHOT }));
  worker.start();
  try {
    const turns: TTurn[] = [];
    let claimedInAppends = 0;
    for (let i = 0; i < WARM_UP + TURNS; i++) {
      type TAt = [number, number];
      const at = (): TAt => [mark(), performance.now()];
      let claimStart: TAt | undefined;
      let claimEnd: TAt | undefined;
      let modelAt: TAt | undefined;
      let releaseAt: TAt | undefined;
      let idle!: (at: TAt) => void;
      const done = new Promise<TAt>((resolve) => (idle = resolve));
      queue.onClaim = (phase, claim) => {
        if (phase === "start" && !claimStart) claimStart = at();
        if (phase === "end" && claim && !claimEnd) claimEnd = at();
      };
      model.onCall = () => (modelAt = at());
      queue.onRelease = () => {
        releaseAt = at();
        idle(releaseAt); // the session left the queue: the turn is over
      };

      const t0 = at();
      const principal = await authenticateApiKey(test.db, key);
      if (!principal) throw new Error("the API key did not authenticate");
      const t1 = at();
      const say = { events: [{ type: "user.message", content: [{ type: "text", text: `turn ${i}: how are you?` }] }] };
      // the send's append returns: when it took the session for the worker itself (claim-on-wake.ts),
      // the wake starts there, and the claim step is empty
      let appended: TAt | undefined;
      let claimedInAppend = false;
      const marking: SessionStore = {
        createSession: (input) => store.createSession(input),
        getSession: (id) => store.getSession(id),
        getEvents: (id, query) => store.getEvents(id, query),
        appendEvents: async (id, events, options) => {
          const result = await store.appendEvents(id, events, options);
          appended = at();
          claimedInAppend = result.claimed === true;
          return result;
        },
      };
      await sendEvents({ store: marking, onWake: () => worker!.notify() }, { teamId: principal.teamId, sessionId: session.id, body: say });
      await withDeadline(`turn ${i} to end`, done, 30_000);
      // the wake it started may reach the model before the append's caller resumes: the step ends at whichever came first
      if (claimedInAppend && appended && modelAt) claimStart = claimEnd = appended[1] <= modelAt[1] ? appended : modelAt;
      if (!claimStart || !claimEnd || !modelAt || !releaseAt) throw new Error(`turn ${i}: the worker did not claim, call the model and release`);
      if (claimedInAppend) claimedInAppends += 1;
      // the claims that found nothing run beside the steps (on PGlite, queued with them): counted apart
      const step = (from: TAt, to: TAt) => {
        const statements = since(from[0], to[0]);
        return { statements: statements.filter((s) => !queue.empty.has(s.tag ?? "")), idleClaims: statements.filter((s) => queue.empty.has(s.tag ?? "")).length, ms: to[1] - from[1] };
      };
      if (i >= WARM_UP) {
        turns.push({
          "API key check": step(t0, t1),
          "send: lookup + append + wake": step(t1, claimStart),
          claim: step(claimStart, claimEnd),
          "wake → model request": step(claimEnd, modelAt),
          "model answer → idle → release": step(modelAt, releaseAt),
        });
      }
    }
    return { turns, claimedInAppends };
  } finally {
    await worker.stop();
    await test.cleanup();
  }
}

console.log(`bench:round-trips — Node ${process.version}, ${availableParallelism()} cores; ${TURNS} turns after ${WARM_UP} warm-up turns, one session`);
const wanted = (process.env.BENCH_RT_DATABASES ?? "pglite,postgres").split(",").map((s) => s.trim()) as TDatabase[];
const databases: TDatabase[] = [];
for (const kind of wanted) {
  if (kind !== "postgres") databases.push(kind);
  else {
    const pg = await postgresReachable();
    if (pg.ok) databases.push(kind);
    else console.log(`PostgreSQL unreachable (${pg.reason}): not measured`);
  }
}

for (const kind of databases) {
  const { turns, claimedInAppends } = await benchDatabase(kind);
  const median = (step: TStep) => percentile(turns.map((t) => t[step].statements.length), 50);
  const max = (step: TStep) => Math.max(...turns.map((t) => t[step].statements.length));
  const ms = (step: TStep) => percentile(turns.map((t) => t[step].ms), 50);
  const idle = (step: TStep) => percentile(turns.map((t) => t[step].idleClaims), 50);
  const rows = STEPS.map((step) => [step, String(median(step)), String(max(step)), String(idle(step)), fmt(ms(step), 1)]);
  const toModel = STEPS.slice(0, 4);
  const sum = (f: (s: TStep) => number, of: readonly TStep[]) => of.reduce((n, s) => n + f(s), 0);
  rows.push(["send → model request (sum)", String(sum(median, toModel)), "", String(sum(idle, toModel)), fmt(sum(ms, toModel), 1)]);
  rows.push(["harness, claim → release (sum)", String(sum(median, STEPS.slice(2))), "", String(sum(idle, STEPS.slice(2))), fmt(sum(ms, STEPS.slice(2)), 1)]);
  printTable(`${NAMES[kind]}: statements (round trips) per step, per turn`, ["step", "statements p50", "max", "+ idle claims beside", "ms p50"], rows);
  console.log(`  ${claimedInAppends} of ${WARM_UP + TURNS} turns were claimed by the send's append itself (claim-on-wake.ts): their claim step has no statement`);
  console.log(`  the statements of turn ${WARM_UP + 1}:`);
  for (const step of STEPS) {
    console.log(`    ${step}:`);
    for (const s of turns[0]![step].statements) console.log(`      ${describeStatement(s.text)}`);
  }
}
process.exit(0);
