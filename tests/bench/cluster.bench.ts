/**
 * `npm run bench:cluster`: how the platform scales with harness worker processes on one machine.
 * One web process serving the API only (`HARNESS_IN_PROCESS=false`) and 1, 2, then 4
 * `npm run worker` processes, all on their defaults, on PostgreSQL and Redis; the real SDK against
 * the scripted Messages API; the real bubblewrap sandbox. Each round sends SESSIONS sessions a
 * message at once; each turn is a model call asking for one short bash call, the call (in a sandbox
 * provisioned for it), and a model call that answers. Printed per worker count: sessions per
 * second (all turns, first send to last idle), turn time p50/p99 (send → `end_turn`), and the
 * speed-up over one worker.
 *
 * Then the self-hosted work queue: SESSIONS sessions of a self-hosted environment each queue a work
 * item for their tool call; a worker takes them one by one as the SDK's worker does (poll with
 * `block_ms`, then ack), and the bench prints poll → ack p50/p99: from sending the poll to the
 * ack's answer, i.e. how long a worker needs to take an item that is waiting.
 *
 * Environment: BENCH_CLUSTER_SESSIONS (default 40), BENCH_CLUSTER_WORKERS (default "1,2,4").
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { newSecretToken } from "@/lib/ids";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer } from "@/tests/fixtures/messages-api";
import { createScratchDatabase, postgresReachable } from "@/tests/fixtures/postgres";
import { redisReachable, TEST_REDIS_URL } from "@/tests/fixtures/redis";
import { until } from "@/tests/fixtures/wait";
import { killWorkerProcess, oneToolThenAnswer, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";
import { fmt, percentile, printTable } from "./stats";

const SESSIONS = Number(process.env.BENCH_CLUSTER_SESSIONS ?? 40);
const WORKER_COUNTS = (process.env.BENCH_CLUSTER_WORKERS ?? "1,2,4").split(",").map(Number);
const COMMAND = "sleep 0.1; echo done";
type TEvent = { type: string; stop_reason?: { type: string } };

for (const [name, reachable] of [
  ["PostgreSQL", await postgresReachable()],
  ["Redis", await redisReachable()],
] as const) {
  if (!reachable.ok) {
    console.error(`bench:cluster needs ${name} (${reachable.reason})`);
    process.exit(1);
  }
}

const scratch = await createScratchDatabase("oma_bench_cluster");
const model = await startMessagesApiServer({ respond: oneToolThenAnswer(COMMAND) });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-bench-cluster-"));
fs.chmodSync(dataDir, 0o711);
const apiKey = newSecretToken("oma_");
const env = {
  DATABASE_URL: scratch.url,
  REDIS_URL: TEST_REDIS_URL,
  DATA_DIR: dataDir,
  BOOTSTRAP_API_KEY: apiKey,
  NEXTAUTH_SECRET: newSecretToken("bench_"),
  ANTHROPIC_API_KEY: "bench-model-key",
  ANTHROPIC_BASE_URL: model.url,
};
const output: string[] = [];
const workers: TWorkerProcess[] = [];
let web: AppServer | undefined;

/** Sends every session its message at once; resolves with each turn's ms (send → end_turn) and the round's wall time. */
async function round(client: Anthropic, agentId: string, environmentId: string): Promise<{ turns: number[]; wallMs: number }> {
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS; i++) ids.push((await client.beta.sessions.create({ agent: agentId, environment_id: environmentId })).id);
  const started = performance.now();
  const turns = await Promise.all(
    ids.map(async (id) => {
      const stream = (await client.beta.sessions.events.stream(id)) as unknown as AsyncIterable<TEvent>;
      const sent = performance.now();
      await client.beta.sessions.events.send(id, { events: [{ type: "user.message", content: [{ type: "text", text: "go" }] }] });
      for await (const event of stream) if (event.type === "session.status_idle" && event.stop_reason?.type === "end_turn") break;
      return performance.now() - sent;
    }),
  );
  return { turns, wallMs: performance.now() - started };
}

try {
  web = await startAppServer({ env: { ...env, HARNESS_IN_PROCESS: "false" } });
  const client = new Anthropic({ apiKey, baseURL: web.url, maxRetries: 0 });
  const agent = await client.beta.agents.create({ name: "bench", model: "claude-bench", tools: [{ type: "agent_toolset_20260401" }] } as never);
  const cloud = await client.beta.environments.create({ name: "bench sandboxes" });

  const rows: string[][] = [];
  let oneWorker: number | undefined;
  for (const count of WORKER_COUNTS) {
    while (workers.length < count) workers.push(startWorkerProcess({ name: `worker-${workers.length + 1}`, output, env: { ...env, LOG_LEVEL: "info" } }));
    await Promise.all(workers.map((worker) => worker.ready));
    await round(client, agent.id, cloud.id); // warm-up: sandboxes' first start, connections, JIT
    const { turns, wallMs } = await round(client, agent.id, cloud.id);
    const rate = SESSIONS / (wallMs / 1000);
    oneWorker ??= count === 1 ? rate : undefined;
    rows.push([String(count), fmt(rate, 1), fmt(percentile(turns, 50), 0), fmt(percentile(turns, 99), 0), oneWorker ? `${fmt(rate / oneWorker, 2)}×` : "—"]);
    console.log(`${count} worker(s): ${SESSIONS} turns in ${fmt(wallMs / 1000, 1)} s`);
  }
  printTable(
    `Turns of ${SESSIONS} sessions at once (model → bash "${COMMAND}" in a new sandbox → model), by worker processes, ${os.cpus().length} cores`,
    ["workers", "sessions/s", "turn p50 ms", "turn p99 ms", "vs 1 worker"],
    rows,
  );

  // the self-hosted work queue: items waiting, taken one by one as a worker takes them
  const hosted = await client.beta.environments.create({ name: "bench hands", config: { type: "self_hosted" } });
  for (let i = 0; i < SESSIONS; i++) {
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: hosted.id });
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "go" }] }] });
  }
  await until("every self-hosted session's work item to be queued", async () => (await client.beta.environments.work.stats(hosted.id)).depth >= SESSIONS, {
    timeoutMs: 120_000,
    intervalMs: 100,
    detail: () => output.join("").slice(-2_000),
  });
  const takes: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const sent = performance.now();
    const item = await client.beta.environments.work.poll(hosted.id, { block_ms: 999 });
    if (!item) throw new Error("a poll with items waiting handed out none");
    await client.beta.environments.work.ack(item.id, { environment_id: hosted.id });
    takes.push(performance.now() - sent);
  }
  printTable(`Work queue: taking a waiting item (poll → ack answered), ${SESSIONS} items`, ["p50 ms", "p99 ms", "max ms"], [[fmt(percentile(takes, 50), 1), fmt(percentile(takes, 99), 1), fmt(Math.max(...takes), 1)]]);
} finally {
  await Promise.all(workers.map((worker) => killWorkerProcess(worker, "SIGTERM")));
  await web?.stop();
  await model.close();
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
