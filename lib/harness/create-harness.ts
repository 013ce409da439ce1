import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import type { ModelClient } from "@/lib/model/types";
import type { EventBus } from "@/lib/realtime/event-bus";
import { createSandboxProviders, type TSandboxProviderSettings } from "@/lib/sandbox/providers";
import type { DirectSql } from "@/lib/db/direct-sql";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore, TransactionalAppendOutbox } from "@/lib/event-log/session-store";
import type { VaultCipher } from "@/lib/vault/cipher";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { createMcpDeps } from "@/lib/mcp/create-mcp-deps";
import { harnessTelemetry, type THarnessTelemetryOptions } from "@/lib/telemetry/harness-telemetry";
import { PrismaTraceHandoff } from "@/lib/telemetry/prisma-trace-handoff";
import { claimOnWakeHooks } from "./claim-on-wake";
import { HarnessWorker } from "./harness-worker";
import { wake } from "./wake";
import { PrismaWorkQueue, workQueueAppendHooks } from "./prisma-work-queue";
import { createAttachmentLoader } from "./session-attachments";
import { createSandboxPlanner, type TLoadRepositories } from "./provision-context";
import type { TLoadSessionSkills } from "./skills-prompt";
import { SandboxPool } from "./sandbox-pool";
import type { TSessionHands } from "./session-hands";
import type { SessionMemory } from "./session-memory";
import type { TSessionFiles } from "./file-resources";
import type { TSessionOutputs } from "./session-outputs";
import { environmentConfigLoader } from "./tool-network";
import type { THarnessDeps } from "./wake-context";

export type THarnessSettings = TSandboxProviderSettings & {
  HARNESS_CONCURRENCY: number;
  HARNESS_LEASE_MS: number;
  /** See HarnessWorker.stop; default 5 s. */
  HARNESS_SHUTDOWN_GRACE_MS?: number;
  /** `EGRESS_ALLOW_PRIVATE_ADDRESSES`: the egress proxy may connect to loopback and private addresses. */
  EGRESS_ALLOW_PRIVATE_ADDRESSES?: boolean;
};

export type THarness = { store: SessionStore; queue: PrismaWorkQueue; worker: HarnessWorker; deps: THarnessDeps; stop(): Promise<void> };

/**
 * Wires a harness worker to the database: the session log (publishing committed events on `bus`),
 * the durable work queue, the model and the sandbox providers (`createSandboxProviders`: local
 * workspaces under `<DATA_DIR>/sandboxes`, or the provider an environment chose). Each session's
 * sandbox is provisioned from its environment and vaults (`createSandboxPlanner`), decrypting
 * credentials with `cipher` (default: the process's VAULT_KEY cipher, asked for only when a session
 * has vaults). Used by the web server (in-process workers) and `npm run worker`.
 */
export function createHarness(options: {
  prisma: PrismaClient;
  /** The log's appends and slices on the driver (`Database.sql`); without it, through `prisma`. */
  sql?: DirectSql;
  model: ModelClient;
  bus: EventBus;
  log: Logger;
  settings: THarnessSettings;
  cipher?: () => VaultCipher;
  /** Loads a session's github_repository resources (lib/sessions' `loadSessionRepositories`). */
  repositories: TLoadRepositories;
  /** Self-hosted environments' workers (lib/environments/work's `createSessionHands`); absent: every tool runs in the platform's sandboxes. */
  hands?: TSessionHands;
  /** Memory stores mounted into sessions' sandboxes (lib/memory-stores' `createPrismaSessionMemory`); absent: mounts stay empty. */
  memory?: SessionMemory;
  /** Sessions' file resources and their bytes (lib/files' `createSessionFiles`); absent: file resources are not copied. */
  files?: TSessionFiles;
  /** Where sessions' outputs (/workspace/outputs/) are kept as files (lib/files' `createSessionOutputs`); absent: they stay in the sandbox. */
  outputs?: TSessionOutputs;
  /** The skills of sessions' agents (lib/skills' `createSessionSkills`): in their sandboxes and system prompts; absent: none. */
  skills?: TLoadSessionSkills;
  /** Traces and metrics of each turn, model request, tool call and sandbox (lib/telemetry); absent: none, at no cost. */
  telemetry?: THarnessTelemetryOptions;
  /** What appends also record for the events they announce outside (lib/webhooks' outbox); absent: nothing. */
  outbox?: TransactionalAppendOutbox;
}): THarness {
  const { prisma, bus, log, settings } = options;
  const { tracing: traces, metrics } = options.telemetry ?? {};
  const telemetry = traces || metrics ? harnessTelemetry({ metrics, tracing: traces && { handoff: new PrismaTraceHandoff(prisma), ...traces } }) : undefined;
  // the worker below takes the sessions its process's appends wake, in those appends (claim-on-wake.ts)
  let worker: HarnessWorker | undefined;
  const hooks = claimOnWakeHooks(workQueueAppendHooks, () => worker);
  const logged = withPublishing(new PrismaSessionStore(prisma, options.sql, hooks, options.outbox), bus);
  const store = telemetry ? telemetry.log(logged) : logged;
  const model = telemetry ? telemetry.model(options.model) : options.model;
  const queue = new PrismaWorkQueue(prisma, options.sql);
  const localEgress = settings.localEgress ?? (settings.EGRESS_ALLOW_PRIVATE_ADDRESSES ? { allowPrivateAddresses: true } : undefined);
  if (localEgress?.allowPrivateAddresses) log.warn("sandboxes (through the egress proxy) and MCP calls may reach loopback and private addresses", { setting: "EGRESS_ALLOW_PRIVATE_ADDRESSES" });
  const created = createSandboxProviders({ ...settings, localEgress, logger: settings.logger ?? log.child({ component: "sandbox" }) });
  const providers = telemetry ? telemetry.providers(created) : created;
  const plan = createSandboxPlanner({ prisma, cipher: options.cipher ?? getVaultCipher, repositories: options.repositories, skills: options.skills });
  const sandboxes = new SandboxPool(providers, { plan });
  const deps: THarnessDeps = { store: telemetry ? telemetry.store(store) : store, model, sandboxes, bus, log: log.child({ component: "harness" }), mcp: createMcpDeps(prisma, options.cipher ?? getVaultCipher, { allowPrivateAddresses: localEgress?.allowPrivateAddresses === true, log: log.child({ component: "mcp" }) }), hands: options.hands, memory: options.memory, files: options.files, outputs: options.outputs, attachments: createAttachmentLoader({ prisma, cipher: options.cipher ?? getVaultCipher, repositories: options.repositories }), skills: options.skills, threadStep: telemetry?.threadStep, environments: environmentConfigLoader(prisma) };
  worker = new HarnessWorker(deps, queue, {
    leaseMs: settings.HARNESS_LEASE_MS,
    concurrency: settings.HARNESS_CONCURRENCY,
    shutdownGraceMs: settings.HARNESS_SHUTDOWN_GRACE_MS,
    wake: telemetry ? telemetry.wake(wake) : undefined,
  });
  return {
    store,
    queue,
    worker,
    deps,
    async stop() {
      await worker.stop();
      await sandboxes.destroyAll();
      await providers.shutdown();
    },
  };
}
