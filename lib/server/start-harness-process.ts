import "server-only";
import type { Database } from "@/lib/db/open-database";
import { createDeploymentScheduler } from "@/lib/deployments/deployment-scheduler";
import { createDreamRunner } from "@/lib/dreams/dream-runner";
import { createSessionHands } from "@/lib/environments/work/session-hands";
import { busWorkSignal } from "@/lib/environments/work/work-signal";
import type { TEnv } from "@/lib/env";
import { createHarness } from "@/lib/harness/create-harness";
import type { THarnessTelemetryOptions } from "@/lib/telemetry/harness-telemetry";
import type { Logger } from "@/lib/log";
import { createPrismaSessionMemory } from "@/lib/memory-stores/prisma-session-memory";
import type { ModelClient } from "@/lib/model/types";
import type { EventBus } from "@/lib/realtime/event-bus";
import { createSessionFiles } from "@/lib/files/session-files";
import { createSessionOutputs } from "@/lib/files/session-outputs";
import type { FileStorage } from "@/lib/files/storage/file-storage";
import { createSession } from "@/lib/sessions/create-session";
import { createSessionSkills } from "@/lib/skills/session-skills";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { webhookAppendOutbox } from "@/lib/webhooks/append-outbox";
import { createWebhookDispatcher } from "@/lib/webhooks/create-dispatcher";

/**
 * What a web server (its in-process harness) and `npm run worker` both run, built once here: the
 * harness with its parts (self-hosted hands, mounted memory stores, the agents' skills, file resources copied from the
 * file storage, the webhook outbox its appends write), the webhook dispatcher (every process delivers; leases share the outbox), and the
 * deployments' scheduler (every process that runs a harness looks for due ticks; a claim in the
 * database runs each once among them), and the dream runner (lib/dreams: it starts pending dreams,
 * on the deployments' interval or at once when `dreams.notify()` says one was created here; a claim
 * starts each once among processes). `runHarness` false: the harness, the scheduler and the dream runner stay off
 * (a web server with HARNESS_IN_PROCESS=false), webhooks still leave from it.
 */
export function startHarnessProcess(options: {
  db: Pick<Database, "prisma" | "sql">;
  model: ModelClient;
  bus: EventBus;
  log: Logger;
  env: TEnv;
  telemetry: THarnessTelemetryOptions;
  /** Where uploaded files are (file resources are copied into sandboxes from it). */
  fileStorage: FileStorage;
  runHarness: boolean;
}) {
  const { db, env, log } = options;
  const harness = createHarness({
    prisma: db.prisma,
    sql: db.sql,
    model: options.model,
    bus: options.bus,
    log,
    settings: env,
    repositories: loadSessionRepositories,
    telemetry: options.telemetry,
    hands: createSessionHands({ prisma: db.prisma, signal: busWorkSignal(options.bus), ttlSeconds: env.WORK_ITEM_TTL_SECONDS }),
    outbox: webhookAppendOutbox,
    memory: createPrismaSessionMemory(db.prisma),
    files: createSessionFiles({ prisma: db.prisma, storage: options.fileStorage }),
    outputs: createSessionOutputs({ prisma: db.prisma, storage: options.fileStorage, maxBytes: env.FILES_MAX_BYTES }),
    skills: createSessionSkills(db.prisma),
  });
  const webhooks = createWebhookDispatcher({ prisma: db.prisma, cipher: getVaultCipher, settings: env, log });
  const scheduler = createDeploymentScheduler({
    prisma: db.prisma,
    createSession: (session) => createSession({ prisma: db.prisma, store: harness.store, onWake: () => harness.worker.notify() }, session),
    log,
    intervalMs: env.DEPLOYMENT_SCHEDULER_INTERVAL_MS,
  });
  const dreams = createDreamRunner({
    prisma: db.prisma,
    store: harness.store,
    onWake: () => harness.worker.notify(),
    log,
    intervalMs: env.DEPLOYMENT_SCHEDULER_INTERVAL_MS,
  });
  if (options.runHarness) harness.worker.start();
  webhooks.start();
  if (options.runHarness) scheduler.start();
  if (options.runHarness) dreams.start();
  return {
    harness,
    webhooks,
    dreams,
    /** Stops claiming sessions and scheduled ticks; sessions in flight stop as `harness.worker.stop` says. */
    async stopHarness() {
      await Promise.all([scheduler.stop(), dreams.stop()]);
      await harness.worker.stop();
    },
    /** Everything: the scheduler, the harness (its sandboxes) and the webhook dispatcher. */
    async stop() {
      await Promise.all([scheduler.stop(), dreams.stop()]);
      await Promise.all([harness.stop(), webhooks.stop()]);
    },
  };
}
