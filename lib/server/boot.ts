import "server-only";
import { createRateLimiter, describeRateLimit } from "@/lib/api/create-rate-limiter";
import { getAuthSecret } from "@/lib/auth/auth-secret";
import { databaseTargetFromEnv } from "@/lib/db/database-target";
import { openDatabase } from "@/lib/db/open-database";
import { vercelCredentialsOf, type TEnv } from "@/lib/env";
import { chooseSandboxRoot } from "@/lib/sandbox/local/sandbox-root";
import type { WorkspaceLocator } from "@/lib/sandbox/workspace-reader";
import { log } from "@/lib/log";
import { createModelClient } from "@/lib/model/create-model-client";
import { createEventBus } from "@/lib/realtime/create-event-bus";
import { redisLabel } from "@/lib/realtime/redis-clients";
import { ensureBootstrapKey } from "@/lib/teams/api-keys/ensure-bootstrap-key";
import { startMetrics } from "@/lib/telemetry/metrics";
import { queuedWorkByEnvironment } from "@/lib/environments/work/queued-work-by-environment";
import { startTracing } from "@/lib/telemetry/start-tracing";
import { openFileStorage } from "@/lib/files/storage/open-file-storage";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { buildRoot, type TRoot } from "./composition-root";
import { installRoot } from "./root";
import { getRuntimeInfo } from "./runtime-info";
import { startHarnessProcess } from "./start-harness-process";

// Everything the process must have ready before it accepts connections.

export interface BootedRuntime {
  /** The composition root boot() built (also installed for Next's route code: lib/server/root.ts). */
  root: TRoot;
  /** Releases what boot() opened. Safe to call once during shutdown. */
  close(): Promise<void>;
  /**
   * Stops the in-process harness worker: sessions it leaves unfinished are handed to other workers
   * at once (see HarnessWorker.stop). Called first on shutdown, beside the closing of connections.
   */
  stopHarness(): Promise<void>;
  /** Human-readable lines describing the runtime, e.g. "database: embedded PGlite in …". */
  describe(): string[];
  /** Reports the live viewers this process's Socket.io server counts among its metrics (when METRICS_TOKEN is set). */
  observeViewers(count: () => number): void;
}

/**
 * Opens the database (the embedded PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL), applies
 * pending migrations unless MIGRATE_ON_BOOT=false, starts the in-process harness worker unless
 * HARNESS_IN_PROCESS=false, and installs the composition root for route handlers (`useCases()`).
 */
export async function boot(env: TEnv): Promise<BootedRuntime> {
  const info = getRuntimeInfo(env);
  // A VAULT_KEY that does not parse stops the server here, with one line naming it. On PostgreSQL
  // without a key, vault requests are refused until one is configured; nothing else needs it.
  if (env.VAULT_KEY || env.VAULT_KEY_PREVIOUS || !env.DATABASE_URL) getVaultCipher();
  // The session secret too (NEXTAUTH_SECRET; on the embedded database, the file generated into
  // DATA_DIR): a web server on PostgreSQL without it stops here, with one line naming it, instead
  // of serving the API while every page that signs or reads a session (sign-in, replay links) fails.
  getAuthSecret();
  const bus = await createEventBus(env, log);
  const rateLimiter = await createRateLimiter(env, log);
  const db = await openDatabase(databaseTargetFromEnv(env), { migrate: env.MIGRATE_ON_BOOT, migrateLockTimeoutMs: env.MIGRATE_LOCK_TIMEOUT_MS });
  if (env.BOOTSTRAP_API_KEY) await ensureBootstrapKey(db.prisma, env.BOOTSTRAP_API_KEY);
  const model = createModelClient(env);
  // OTEL_* variables (lib/telemetry/tracing-settings.ts); none set: no tracing, nothing loaded
  const tracing = await startTracing(process.env, log);
  // METRICS_TOKEN: metrics are kept and served at /metrics; unset, nothing is recorded
  const metrics = env.METRICS_TOKEN ? await startMetrics() : undefined;
  metrics?.observe({ workQueueDepth: () => queuedWorkByEnvironment(db.prisma) });
  const telemetry = { tracing: tracing ?? undefined, metrics: metrics?.instruments };
  const files = await openFileStorage(env, log);
  const processParts = startHarnessProcess({ db, model, bus, log, env, telemetry, fileStorage: files.storage, runHarness: env.HARNESS_IN_PROCESS });
  const { harness, webhooks, dreams } = processParts;
  const root = buildRoot({ db, store: harness.store, bus, rateLimiter, wake: () => harness.worker.notify(), files: { storage: files.storage, maxBytes: env.FILES_MAX_BYTES }, skillsMaxBytes: env.SKILLS_MAX_BYTES, cipher: getVaultCipher, authSecret: getAuthSecret, allowPrivateAddresses: env.EGRESS_ALLOW_PRIVATE_ADDRESSES, workItemTtlSeconds: env.WORK_ITEM_TTL_SECONDS, sandboxRootDir: sandboxRootDir(env), vercelWorkspaces: await vercelWorkspaces(env), webhooks: { privateAddresses: env.WEBHOOKS_ALLOW_PRIVATE, notify: () => webhooks.notify() }, dreams: { notify: () => dreams.notify() }, metrics: metrics && env.METRICS_TOKEN ? { token: env.METRICS_TOKEN, prometheus: () => metrics.prometheus() } : undefined });
  installRoot(root);
  return {
    root,
    stopHarness: () => processParts.stopHarness(),
    observeViewers: (count) => metrics?.observe({ liveViewers: count }),
    async close() {
      installRoot(undefined);
      await processParts.stop();
      files.close();
      await tracing?.shutdown();
      await metrics?.shutdown();
      await rateLimiter.close();
      await bus.close();
      await db.close();
    },
    describe: () => [
      `database: ${info.databaseLabel}`,
      `model: ${info.modelLabel}`,
      `realtime: ${env.REDIS_URL ? `Redis at ${redisLabel(env.REDIS_URL)} (live events and Socket.io across processes)` : "this process only (set REDIS_URL to share live events across processes)"}`,
      `rate limit: ${describeRateLimit(env)}`,
      `files: ${files.description} (up to ${env.FILES_MAX_BYTES} bytes each)`,
      `webhooks: delivered from this process${env.WEBHOOKS_ALLOW_PRIVATE.all ? " (private addresses allowed)" : env.WEBHOOKS_ALLOW_PRIVATE.addresses.length ? ` (private addresses allowed: ${env.WEBHOOKS_ALLOW_PRIVATE.addresses.join(", ")})` : ""}`,
      `harness: ${env.HARNESS_IN_PROCESS ? `in-process worker (up to ${env.HARNESS_CONCURRENCY} sessions at once), with the deployment scheduler` : "off in this process (run npm run worker)"}`,
    ],
  };
}

/**
 * The workspace panel's way to sessions' Vercel sandboxes, when this installation has Vercel
 * credentials. The Vercel SDK (about 0.6 s of start-up) is loaded only then.
 */
async function vercelWorkspaces(env: TEnv): Promise<WorkspaceLocator | undefined> {
  const credentials = vercelCredentialsOf(env);
  if (!credentials) return undefined;
  const { VercelWorkspaces } = await import("@/lib/sandbox/vercel/vercel-workspace");
  return new VercelWorkspaces({ credentials });
}

/** Where this process's local sandboxes keep their workspaces, for the workspace panel; undefined when there is none usable. */
function sandboxRootDir(env: TEnv): string | undefined {
  try {
    return chooseSandboxRoot({ dataDir: env.DATA_DIR, sandboxDir: env.SANDBOX_DIR }).rootDir;
  } catch {
    return undefined;
  }
}
