import "server-only";
import { SandboxError } from "@/lib/sandbox/errors";
import type { SandboxProviders } from "@/lib/sandbox/providers";
import type { Sandbox, SandboxProvider } from "@/lib/sandbox/types";
import { createRedactor, createStreamRedactor, type StreamRedactor } from "@/lib/redact";
import type { TMemoryMount } from "./memory-mounts";
import { EMPTY_SANDBOX_PLAN, type TPlanSandbox } from "./provision-context";

/** A session's sandbox, with the provider it runs on and the redaction of the session's secrets. */
export type TSandboxLease = {
  sandbox: Sandbox;
  provider: string;
  /** Replaces every secret of the session's credentials (in any usual encoding) with `[redacted]`. */
  redact(text: string): string;
  /** The same redaction for text that arrives in chunks (live output): a secret split between chunks is still caught. */
  streamRedactor(): StreamRedactor;
  /**
   * The session's memory stores mounted in this sandbox (memory-sync.ts fills and saves them);
   * session-attachments.ts replaces it when stores are added to or removed from the running session.
   */
  memory: readonly TMemoryMount[];
  /** The session's file resources copied into this sandbox already (resource ids; file-resources.ts adds to it). */
  copiedFiles: Set<string>;
  /** Mount paths of the session's repositories cloned into this sandbox (at provisioning, then by session-attachments.ts). */
  repositories: Set<string>;
  /** The files under /workspace/outputs/ saved from this sandbox already: path → size and time (session-outputs.ts). */
  savedOutputs: Map<string, string>;
  /** What session-attachments.ts last tried to attach (so a failure is told once, not at every call). */
  attachmentsTried: string | null;
  /** Adds secrets to redact from now on (the token of a repository added to the running session). */
  addSecrets(values: readonly string[]): void;
};

/**
 * Told what happens while a sandbox is made for a caller (the harness records it in the log). A
 * hook that throws (say, the lease on the session was lost) aborts the provisioning.
 */
export type TSandboxObserver = {
  /** A sandbox is needed and none is alive: provisioning starts. */
  provisioning?(info: { provider: string }): Promise<unknown> | void;
  ready?(info: { provider: string; sandboxId: string; durationMs: number }): Promise<unknown> | void;
  /** `reason` has the session's secrets redacted. */
  failed?(info: { provider: string; reason: string }): Promise<unknown> | void;
  /** The cached sandbox was no longer alive (reclaimed while idle, or died) and is being replaced. */
  replaced?(info: { provider: string; sandboxId: string; reason: string }): Promise<unknown> | void;
};

/** Keys of the pool: a session's id, or its id and one of its non-primary environments. */
const KEY_SEPARATOR = "\u0000";
const keyOf = (sessionId: string, environmentId: string | undefined) => (environmentId ? `${sessionId}${KEY_SEPARATOR}${environmentId}` : sessionId);

/** Provider name recorded when the plan (and so the provider) could not be determined. */
export const UNKNOWN_PROVIDER = "unknown";

/**
 * One sandbox per session, provisioned lazily on the first tool call (so the model starts before
 * any sandbox exists) and replaced when it dies: `discard` forgets it and the next `acquire`
 * provisions a fresh one, as does an `acquire` that finds its sandbox no longer alive. Concurrent
 * `acquire`s for one session share one provisioning (only the first caller's observer is told).
 *
 * What a sandbox gets comes from `plan(sessionId)` (environment, network policy, credentials,
 * secrets), read when it is provisioned; the provider from `providers.forEnvironment(environment)`.
 * A single provider (unit tests, benchmarks) serves every environment, and without a plan sandboxes
 * get no network and no credentials.
 *
 * A session of several environments (README, "Several hands per session") has a sandbox per cloud
 * environment it uses: the primary's under the session's id alone, any other's under the session
 * and that environment (`environmentId`), each provisioned on its first call, planned from its own
 * environment and replaced on its own. Without an environment, `discard` forgets all of the session's.
 */
export class SandboxPool {
  private readonly leases = new Map<string, Promise<TSandboxLease>>();
  private readonly providers: Pick<SandboxProviders, "forEnvironment">;
  private readonly plan: TPlanSandbox;

  constructor(providers: SandboxProvider | Pick<SandboxProviders, "forEnvironment">, options: { plan?: TPlanSandbox } = {}) {
    this.providers = "forEnvironment" in providers ? providers : { forEnvironment: () => providers };
    this.plan = options.plan ?? (async () => EMPTY_SANDBOX_PLAN);
  }

  async get(sessionId: string): Promise<Sandbox> {
    return (await this.acquire(sessionId)).sandbox;
  }

  async acquire(sessionId: string, observer: TSandboxObserver = {}, environmentId?: string): Promise<TSandboxLease> {
    const key = keyOf(sessionId, environmentId);
    const cached = this.leases.get(key);
    if (cached) {
      const existing = await cached.catch(() => null);
      if (existing && (await existing.sandbox.isAlive().catch(() => false))) return existing;
      if (this.leases.get(key) === cached) {
        this.leases.delete(key);
        if (existing) {
          const reason = "the sandbox was no longer running (reclaimed while idle, or it died)";
          await observer.replaced?.({ provider: existing.provider, sandboxId: existing.sandbox.id, reason });
        }
      }
    }
    let lease = this.leases.get(key);
    if (!lease) {
      lease = this.provision(sessionId, observer, environmentId);
      this.leases.set(key, lease);
      const settled = lease;
      settled.catch(() => {
        if (this.leases.get(key) === settled) this.leases.delete(key);
      });
    }
    return lease;
  }

  private async provision(sessionId: string, observer: TSandboxObserver, environmentId: string | undefined): Promise<TSandboxLease> {
    let plan;
    try {
      plan = await this.plan(sessionId, environmentId);
    } catch (error) {
      // Messages from the plan name ids (session, vault, credential, key), never a secret.
      const reason = `cannot prepare the session's sandbox: ${(error as Error).message}`;
      await observer.failed?.({ provider: UNKNOWN_PROVIDER, reason });
      throw new SandboxError("provision_failed", reason, { cause: error });
    }
    const provider = this.providers.forEnvironment(plan.environment);
    const secrets = [...plan.secrets];
    let redactor = createRedactor(secrets);
    const redact = (text: string) => redactor.redact(text);
    await observer.provisioning?.({ provider: provider.name });
    const started = Date.now();
    let sandbox: Sandbox;
    try {
      sandbox = await provider.provision({ ...plan.options, sessionId });
    } catch (error) {
      const reason = redact((error as Error).message || "unknown error");
      await observer.failed?.({ provider: provider.name, reason });
      throw error instanceof SandboxError ? new SandboxError(error.code, reason, { cause: error }) : new SandboxError("provision_failed", reason, { cause: error });
    }
    try {
      for (const file of plan.files ?? []) await sandbox.writeFile(file.path, file.content); // the agent's skills
      await observer.ready?.({ provider: provider.name, sandboxId: sandbox.id, durationMs: Date.now() - started });
    } catch (error) {
      await sandbox.destroy().catch(() => {});
      throw error;
    }
    return {
      sandbox,
      provider: provider.name,
      redact,
      streamRedactor: () => createStreamRedactor(secrets),
      memory: plan.memory ?? [],
      copiedFiles: new Set(),
      repositories: new Set((plan.options.repositories ?? []).map((r) => r.mountPath)),
      attachmentsTried: null,
      savedOutputs: new Map(),
      addSecrets(values) {
        secrets.push(...values.filter((v) => v.length > 0 && !secrets.includes(v)));
        redactor = createRedactor(secrets);
      },
    };
  }

  /**
   * Forgets the session's sandbox and destroys it (a provisioning in progress is destroyed once it
   * is done). Callers that need the sandbox's processes gone before going on await the promise;
   * others leave it to run in the background. Never rejects.
   */
  discard(sessionId: string, environmentId?: string): Promise<void> {
    const keys = environmentId ? [keyOf(sessionId, environmentId)] : [...this.leases.keys()].filter((k) => k === sessionId || k.startsWith(`${sessionId}${KEY_SEPARATOR}`));
    const leases = keys.flatMap((key) => {
      const lease = this.leases.get(key);
      this.leases.delete(key);
      return lease ? [lease] : [];
    });
    return Promise.all(leases.map((lease) => lease.then((l) => l.sandbox.destroy()).catch(() => {}))).then(() => {});
  }

  has(sessionId: string): boolean {
    return this.leases.has(sessionId);
  }

  /** Destroys every sandbox of the pool and waits for it. */
  async destroyAll(): Promise<void> {
    const all = [...this.leases.values()];
    this.leases.clear();
    await Promise.all(all.map((lease) => lease.then((l) => l.sandbox.destroy()).catch(() => {})));
  }
}
