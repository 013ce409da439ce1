/**
 * `npm run worker`: a harness worker process. It takes sessions with work from the durable queue
 * in PostgreSQL, drives them, and stops on SIGINT/SIGTERM (sessions in flight are left to their
 * leases: another worker resumes them from the log). Needs DATABASE_URL: the embedded database
 * belongs to one process, and the web server runs harness workers itself. With METRICS_TOKEN and
 * METRICS_PORT, it serves its own metrics (`GET /metrics` on that port, behind the token).
 */
import { createSessionSkills } from "@/lib/skills/session-skills";
import { databaseTargetFromEnv, describeDatabaseTarget } from "@/lib/db/database-target";
import { openDatabase } from "@/lib/db/open-database";
import { parseEnv } from "@/lib/env";
import { createDeploymentScheduler } from "@/lib/deployments/deployment-scheduler";
import { createHarness } from "@/lib/harness/create-harness";
import { log } from "@/lib/log";
import { createModelClient } from "@/lib/model/create-model-client";
import { createEventBus } from "@/lib/realtime/create-event-bus";
import { createSessionHands } from "@/lib/environments/work/session-hands";
import { busWorkSignal } from "@/lib/environments/work/work-signal";
import { createSession } from "@/lib/sessions/create-session";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { createPrismaSessionMemory } from "@/lib/memory-stores/prisma-session-memory";
import { startMetrics } from "@/lib/telemetry/metrics";
import { serveMetrics } from "@/lib/telemetry/serve-metrics";
import { startTracing } from "@/lib/telemetry/start-tracing";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { webhookAppendOutbox } from "@/lib/webhooks/append-outbox";
import { createWebhookDispatcher } from "@/lib/webhooks/create-dispatcher";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let env;
try {
  env = parseEnv(process.env);
} catch (error) {
  fail((error as Error).message);
}
if (!env.DATABASE_URL) {
  fail(
    "npm run worker needs DATABASE_URL (PostgreSQL): the embedded database can be opened by one process only, " +
      "and the web server already runs harness workers in-process.",
  );
}

if (env.METRICS_PORT !== undefined && !env.METRICS_TOKEN) {
  fail("METRICS_PORT needs METRICS_TOKEN: the worker serves its metrics only to requests bearing that token.");
}

const target = databaseTargetFromEnv(env);
const db = await openDatabase(target, { migrate: env.MIGRATE_ON_BOOT, migrateLockTimeoutMs: env.MIGRATE_LOCK_TIMEOUT_MS }).catch((error: Error) => fail(error.message));
const model = createModelClient(env);
// With REDIS_URL, what this worker appends reaches viewers on every web process at once (and
// interrupts sent through any web process reach it at once); without it, they poll the log.
const bus = await createEventBus(env, log).catch((error: Error) => fail(error.message));
const tracing = await startTracing(process.env, log).catch((error: Error) => fail(error.message));
// METRICS_TOKEN + METRICS_PORT: this worker's metrics (its model requests, tool calls, sandboxes,
// appends) on a port of its own; with the token alone, the web server's /metrics covers only the
// web process, so say where this worker's would be
const metrics = env.METRICS_TOKEN && env.METRICS_PORT !== undefined ? await startMetrics() : undefined;
const metricsServer =
  metrics && env.METRICS_TOKEN
    ? await serveMetrics({ port: env.METRICS_PORT!, source: { token: env.METRICS_TOKEN, prometheus: () => metrics.prometheus() } }).catch((error: Error) => fail(`cannot serve metrics on METRICS_PORT: ${error.message}`))
    : undefined;
if (metricsServer) log.info("worker metrics served", { port: metricsServer.port, path: "/metrics" });
else if (env.METRICS_TOKEN) log.info("worker metrics off: set METRICS_PORT to serve this worker's metrics");
const harness = createHarness({
  prisma: db.prisma,
  sql: db.sql,
  model,
  bus,
  log,
  settings: env,
  repositories: loadSessionRepositories,
  telemetry: { tracing: tracing ?? undefined, metrics: metrics?.instruments },
  hands: createSessionHands({ prisma: db.prisma, signal: busWorkSignal(bus), ttlSeconds: env.WORK_ITEM_TTL_SECONDS }),
  outbox: webhookAppendOutbox,
  memory: createPrismaSessionMemory(db.prisma),
  skills: createSessionSkills(db.prisma),
});
harness.worker.start();
// the worker delivers webhooks too: the outbox's leases share them with the web processes
const webhooks = createWebhookDispatcher({ prisma: db.prisma, cipher: getVaultCipher, settings: env, log });
webhooks.start();
// deployments' cron ticks: every worker looks for due ones; a claim in PostgreSQL runs each tick once among them
const scheduler = createDeploymentScheduler({
  prisma: db.prisma,
  createSession: (options) => createSession({ prisma: db.prisma, store: harness.store, onWake: () => harness.worker.notify() }, options),
  log,
  intervalMs: env.DEPLOYMENT_SCHEDULER_INTERVAL_MS,
});
scheduler.start();
log.info("harness worker started", { workerId: harness.worker.workerId, database: describeDatabaseTarget(target), model: model.description });

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log.info("harness worker stopping", { signal });
  await scheduler.stop();
  await Promise.all([harness.stop(), webhooks.stop()]);
  await metricsServer?.close();
  await metrics?.shutdown();
  await tracing?.shutdown();
  await bus.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
