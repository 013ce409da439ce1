/**
 * `npm run worker`: a harness worker process. It takes sessions with work from the durable queue
 * in PostgreSQL, drives them, and stops on SIGINT/SIGTERM (sessions in flight are left to their
 * leases: another worker resumes them from the log). Needs DATABASE_URL: the embedded database
 * belongs to one process, and the web server runs harness workers itself.
 */
import { databaseTargetFromEnv, describeDatabaseTarget } from "@/lib/db/database-target";
import { openDatabase } from "@/lib/db/open-database";
import { parseEnv } from "@/lib/env";
import { createHarness } from "@/lib/harness/create-harness";
import { log } from "@/lib/log";
import { createModelClient } from "@/lib/model/create-model-client";
import { createEventBus } from "@/lib/realtime/create-event-bus";
import { createSessionHands } from "@/lib/environments/work/session-hands";
import { busWorkSignal } from "@/lib/environments/work/work-signal";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { startTracing } from "@/lib/telemetry/start-tracing";

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

const target = databaseTargetFromEnv(env);
const db = await openDatabase(target, { migrate: env.MIGRATE_ON_BOOT, migrateLockTimeoutMs: env.MIGRATE_LOCK_TIMEOUT_MS }).catch((error: Error) => fail(error.message));
const model = createModelClient(env);
// With REDIS_URL, what this worker appends reaches viewers on every web process at once (and
// interrupts sent through any web process reach it at once); without it, they poll the log.
const bus = await createEventBus(env, log).catch((error: Error) => fail(error.message));
const tracing = await startTracing(process.env, log).catch((error: Error) => fail(error.message));
const harness = createHarness({ prisma: db.prisma, sql: db.sql, model, bus, log, settings: env, repositories: loadSessionRepositories, telemetry: { tracing: tracing ?? undefined }, hands: createSessionHands({ prisma: db.prisma, signal: busWorkSignal(bus) }) });
harness.worker.start();
log.info("harness worker started", { workerId: harness.worker.workerId, database: describeDatabaseTarget(target), model: model.description });

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log.info("harness worker stopping", { signal });
  await harness.stop();
  await tracing?.shutdown();
  await bus.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
