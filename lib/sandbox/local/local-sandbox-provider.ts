import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { EgressCa } from "@/lib/egress/egress-ca";
import type { EgressObserver } from "@/lib/egress/egress-observer";
import type { NetworkPolicy } from "@/lib/egress/host-match";
import { DEFAULT_NAMESPACE_PREFIX } from "@/lib/sandbox/local/sandbox-network";
import type { EgressCredential } from "@/lib/egress/substitution";
import { log, type Logger } from "@/lib/log";
import { SandboxError } from "../errors";
import { cloneRepositories } from "../git/clone-repositories";
import type { ProvisionOptions, Sandbox, SandboxProvider } from "../types";
import { SANDBOX_GID, SANDBOX_UID, type ProcessLimits } from "./bwrap-command";
import { createWorkspace, openSessionWorkspace, prepareRootDir, resolveBinaries, type SandboxBinaries } from "./host-setup";
import { LocalSandbox } from "./local-sandbox";
import { createMountDirs, MOUNT_NAME, memoryMountsDir, shareMountDir } from "./memory-mount-dirs";
import { DEFAULT_NETWORK_SWEEP_MS, startNetworkSweeper, type NetworkSweeper } from "./network-sweeper";
import { prepareEgressHost, startSandboxEgress, type LocalEgressOptions, type SandboxEgress } from "./sandbox-egress";

export interface LocalSandboxLimits extends ProcessLimits {
  /** Default and maximum wall-clock time of one exec. */
  timeoutMs: number;
  /** Cap per output stream (stdout, stderr) of one exec; the middle is dropped beyond it. */
  maxOutputBytes: number;
  /** Largest file readFile returns. */
  maxReadBytes: number;
  /** Size of the private /tmp of one exec. */
  tmpSizeMb: number;
}

export const DEFAULT_LOCAL_LIMITS: Readonly<LocalSandboxLimits> = {
  timeoutMs: 120_000,
  cpuSeconds: 120,
  memoryMb: 2048,
  fileSizeMb: 512,
  openFiles: 1024,
  processes: 256,
  maxOutputBytes: 1024 * 1024,
  maxReadBytes: 32 * 1024 * 1024,
  tmpSizeMb: 256,
};

export interface LocalSandboxProviderOptions {
  /** Where workspaces live, e.g. `<DATA_DIR>/sandboxes`. Every parent must be traversable (o+x). */
  rootDir: string;
  limits?: Partial<LocalSandboxLimits>;
  /** Destroy sandboxes that have not been used for this long. Off when omitted. */
  idleMs?: number;
  /**
   * Unprivileged host user that sandboxes run as when the server runs as root (default
   * 1000:1000). All sandboxes share its process budget (`limits.processes`).
   */
  sandboxUser?: { uid: number; gid: number };
  /** How networked sandboxes reach out (CA location; test-only resolver and private addresses). */
  egress?: LocalEgressOptions;
  /**
   * How often to remove the network namespaces of processes that are gone (default every minute,
   * and once at construction; 0: never). Only a root server, which can create namespaces, sweeps.
   */
  networkSweepMs?: number;
  /**
   * `per-sandbox` (default): every sandbox gets a new workspace, deleted when it is destroyed.
   * `per-session`: a session's sandboxes all use `<rootDir>/<session id>`, created on first use
   * and kept when a sandbox is destroyed, so a later sandbox of the session finds its files (a
   * self-hosted worker's layout: the operator owns the machine and its directories).
   */
  workspaces?: "per-sandbox" | "per-session";
  logger?: Logger;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROBE_TIMEOUT_MS = 15_000;

/** Sandboxes as bubblewrap namespaces on this machine, one workspace directory each. */
export class LocalSandboxProvider implements SandboxProvider {
  readonly name = "local";
  private readonly limits: LocalSandboxLimits;
  private readonly user: { uid: number; gid: number } | null;
  private readonly sandboxes = new Map<string, LocalSandbox>();
  private setup: Promise<{ root: string; etcDir: string; binaries: SandboxBinaries }> | undefined;
  private egressSetup: Promise<EgressCa> | undefined;
  private warnedNoNetwork = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly sweeper: NetworkSweeper | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: LocalSandboxProviderOptions) {
    this.logger = options.logger ?? log.child({ component: "local-sandbox" });
    this.limits = { ...DEFAULT_LOCAL_LIMITS, ...options.limits };
    const isRoot = process.getuid?.() === 0;
    this.user = isRoot ? (options.sandboxUser ?? { uid: SANDBOX_UID, gid: SANDBOX_GID }) : null;
    if (options.idleMs !== undefined && options.idleMs > 0) {
      const every = Math.max(1_000, Math.min(options.idleMs, 60_000));
      this.timer = setInterval(() => void this.reclaimIdle(), every);
      this.timer.unref();
    }
    // Decision: the provider sweeps, because every process that may run sandboxes (web server,
    // worker) creates one at boot, and nothing else of a crashed owner's networks is left to clean.
    const sweepMs = options.networkSweepMs ?? DEFAULT_NETWORK_SWEEP_MS;
    if (isRoot && sweepMs > 0) {
      const prefix = options.egress?.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX;
      this.sweeper = startNetworkSweeper({ prefix, everyMs: sweepMs, logger: this.logger });
    }
  }

  async provision(options: ProvisionOptions): Promise<Sandbox> {
    const env = options.env ?? {};
    for (const name of Object.keys(env)) {
      if (!ENV_NAME.test(name)) throw new SandboxError("provision_failed", `invalid environment variable name: ${name}`);
    }
    const memoryMounts = options.memoryMounts ?? [];
    for (const mount of memoryMounts) {
      if (!MOUNT_NAME.test(mount.name)) throw new SandboxError("provision_failed", `invalid memory mount name: ${mount.name.slice(0, 128)}`);
      if (mount.hostDir !== undefined && !path.isAbsolute(mount.hostDir)) throw new SandboxError("provision_failed", `memory mount ${mount.name}: hostDir must be an absolute path`);
    }
    const { root, etcDir, binaries } = await this.hostSetup();
    const resources = options.resources ?? {};
    const hex = randomBytes(12).toString("hex");
    const slug = workspaceSlug(options.sessionId);
    const perSession = this.options.workspaces === "per-session";
    let workspaceDir: string;
    try {
      workspaceDir = perSession ? await openSessionWorkspace(root, slug, this.user) : await createWorkspace(root, `${slug}-${hex}`, this.user);
    } catch (error) {
      throw new SandboxError("provision_failed", `cannot create a workspace under ${root}`, { cause: error });
    }
    try {
      await createMountDirs(workspaceDir, memoryMounts.filter((m) => !m.hostDir).map((m) => m.name), this.user);
      if (this.user) for (const m of memoryMounts) if (m.hostDir) await shareMountDir(m.hostDir, this.user);
      await cloneRepositories(options.repositories ?? [], { workspaceDir, owner: this.user });
    } catch (error) {
      if (!perSession) await fs.rm(workspaceDir, { recursive: true, force: true });
      await fs.rm(memoryMountsDir(workspaceDir), { recursive: true, force: true });
      // a RepositoryError's message names the repository and never its token (lib/sandbox/git)
      throw new SandboxError("provision_failed", error instanceof Error ? error.message : String(error), { cause: error });
    }
    let network: SandboxEgress | null;
    try {
      const ids = { sessionId: options.sessionId, sandboxId: `sbx_${hex}` };
      network = await this.startNetwork(options.network ?? { type: "none" }, options.credentials ?? [], etcDir, ids, options.egressObserver);
    } catch (error) {
      if (!perSession) await fs.rm(workspaceDir, { recursive: true, force: true });
      await fs.rm(memoryMountsDir(workspaceDir), { recursive: true, force: true });
      throw error;
    }
    const sandbox = new LocalSandbox({
      id: `sbx_${hex}`,
      sessionId: options.sessionId,
      workspaceDir,
      etcDir,
      binaries,
      user: this.user,
      limits: {
        cpuSeconds: resources.cpuSeconds ?? this.limits.cpuSeconds,
        memoryMb: resources.memoryMb ?? this.limits.memoryMb,
        fileSizeMb: resources.diskMb ?? this.limits.fileSizeMb,
        openFiles: this.limits.openFiles,
        processes: this.limits.processes,
      },
      timeoutMs: resources.timeoutMs ?? this.limits.timeoutMs,
      maxOutputBytes: this.limits.maxOutputBytes,
      maxReadBytes: this.limits.maxReadBytes,
      tmpSizeMb: this.limits.tmpSizeMb,
      env,
      memoryMounts,
      network,
      keepWorkspace: perSession,
      onDestroy: (s) => this.sandboxes.delete(s.id),
    });
    await this.probe(sandbox, root);
    this.sandboxes.set(sandbox.id, sandbox);
    return sandbox;
  }

  /** Destroys every sandbox idle for at least `idleMs` at `now`; returns their ids. */
  async reclaimIdle(now: number = Date.now()): Promise<string[]> {
    const idleMs = this.options.idleMs;
    if (idleMs === undefined || idleMs <= 0) return [];
    const idle = [...this.sandboxes.values()].filter((s) => !s.busy && now - s.lastActivityAt >= idleMs);
    await Promise.all(idle.map((s) => s.destroy()));
    return idle.map((s) => s.id);
  }

  /** Stops the reclaimer and the sweeper, and destroys every sandbox this provider still holds. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.sweeper?.stop();
    await Promise.all([...this.sandboxes.values()].map((s) => s.destroy()));
  }

  /**
   * The sandbox's network. `none` (the default): no network at all, only `lo`. `limited` and
   * `unrestricted`: a namespace whose only way out is an egress proxy enforcing the policy, with the
   * credentials applied there. Decision: a server that is not root cannot create network
   * namespaces; its sandboxes then get no network whatever the policy (failing closed: never more
   * than the policy allows), with one warning in the log, so `npm start` as an ordinary user still
   * runs tools. Any other failure to set up the network fails the provisioning.
   */
  private async startNetwork(
    policy: NetworkPolicy,
    credentials: readonly EgressCredential[],
    etcDir: string,
    ids: { sessionId: string; sandboxId: string },
    observer?: EgressObserver,
  ): Promise<SandboxEgress | null> {
    if (policy.type === "none") return null;
    if (process.getuid?.() !== 0) {
      if (!this.warnedNoNetwork) {
        this.warnedNoNetwork = true;
        this.logger.warn("sandboxes get no network: network namespaces need the server to run as root", { policy: policy.type });
      }
      return null;
    }
    try {
      const ca = await this.egressHost(etcDir);
      return await startSandboxEgress({
        policy,
        credentials,
        ca,
        egress: this.options.egress ?? {},
        logger: this.logger.child({ component: "egress-proxy", ...ids }),
        observer,
      });
    } catch (error) {
      // Messages name hosts, patterns and credential ids, never a credential's value.
      throw new SandboxError("provision_failed", `cannot set up the sandbox's network: ${(error as Error).message}`, { cause: error });
    }
  }

  private egressHost(etcDir: string): Promise<EgressCa> {
    const egress = this.options.egress ?? {};
    this.egressSetup ??= prepareEgressHost({
      caDir: egress.caDir ?? path.join(path.dirname(path.resolve(this.options.rootDir)), "egress-ca"),
      etcDir,
    });
    this.egressSetup.catch(() => (this.egressSetup = undefined));
    return this.egressSetup;
  }

  private hostSetup() {
    this.setup ??= (async () => {
      const binaries = await resolveBinaries();
      try {
        return { ...(await prepareRootDir(this.options.rootDir)), binaries };
      } catch (error) {
        throw new SandboxError("provision_failed", `cannot prepare ${this.options.rootDir}`, { cause: error });
      }
    })();
    // A failed setup (bwrap not installed yet) is retried on the next provision.
    this.setup.catch(() => (this.setup = undefined));
    return this.setup;
  }

  /** Runs `true` in the new sandbox, so a machine that cannot sandbox fails here, not mid-turn. */
  private async probe(sandbox: LocalSandbox, root: string): Promise<void> {
    let detail: string;
    try {
      const result = await sandbox.exec("true", { timeoutMs: PROBE_TIMEOUT_MS });
      if (result.exitCode === 0) return;
      detail = result.stderr.trim() || `exit code ${result.exitCode}`;
    } catch (error) {
      detail = (error as Error).message;
    }
    await sandbox.destroy();
    const hint = /permission denied/i.test(detail)
      ? ` (uid ${this.user?.uid ?? process.getuid?.()} must be able to traverse every parent of ${root})`
      : "";
    throw new SandboxError("provision_failed", `bubblewrap (bwrap) is not usable here: ${detail}${hint}`);
  }
}

/**
 * The start of a session's workspace names under the sandbox root: `<slug>-<random>` per sandbox
 * (`<slug>` alone for per-session workspaces). The workspace panel finds a session's by it.
 */
export function workspaceSlug(sessionId: string): string {
  return sessionId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
}
