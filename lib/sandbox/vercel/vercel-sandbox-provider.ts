import "server-only";
import { randomBytes } from "node:crypto";
import { Sandbox as VercelVm, type NetworkPolicy } from "@vercel/sandbox";
import type { Logger } from "@/lib/log";
import { SandboxError } from "../errors";
import type { MemoryMount, ProvisionOptions, Sandbox, SandboxProvider } from "../types";
import { isGoneError, toSandboxError } from "./api-errors";
import { credentialSecrets, toSdkCredentials, type VercelCredentials, type VercelSdkCredentials } from "@/lib/vercel-credentials";
import { gitCheckoutOf, type GitCheckout } from "./git-source";
import { prepareMountsCommand } from "./memory-mounts";
import { buildNetworkPolicy, credentialHeaderValues, type CredentialHeaders } from "./network-policy";
import { placeholderRules, vercelNetworkPolicy } from "./provision-network";
import { VercelSandbox } from "./vercel-sandbox";
import { LINK_WORKSPACE } from "./workspace-paths";

export interface VercelSandboxLimits {
  /** Default and maximum wall-clock time of one exec. */
  execTimeoutMs: number;
  /** Cap per output stream (stdout, stderr) of one exec; the middle is dropped beyond it. */
  maxOutputBytes: number;
  /** Largest file readFile returns. */
  maxReadBytes: number;
}

export const DEFAULT_VERCEL_LIMITS: Readonly<VercelSandboxLimits> = {
  execTimeoutMs: 120_000,
  maxOutputBytes: 1024 * 1024,
  maxReadBytes: 32 * 1024 * 1024,
};

export interface VercelSandboxProviderOptions {
  credentials: VercelCredentials;
  /** A Vercel Container Registry image (Vercel's default image when both this and `runtime` are omitted). */
  image?: string;
  /** A legacy Vercel runtime such as "node22" or "python3.13"; not together with `image`. */
  runtime?: string;
  /** vCPUs per VM (2 GiB of memory each); raised to fit a provision's `resources.memoryMb`. */
  vcpus?: number;
  /** Lifetime of one VM session: Vercel stops it after this long. Set `idleMs` below it. */
  timeoutMs?: number;
  /**
   * Egress policy in the SDK's form for provisions that give no `network`. Omitted: "deny-all",
   * as the sandbox interface says (no `network`, no network). A provision's `network` replaces it.
   */
  networkPolicy?: NetworkPolicy;
  /** Headers the firewall sets on requests to these hosts, outside the VM. */
  credentialHeaders?: CredentialHeaders[];
  /** Snapshot (and so stop) VMs that have not been used for this long. Off when omitted. */
  idleMs?: number;
  /** How long idle snapshots are kept at most; Vercel's default when omitted. Destroy deletes them. */
  snapshotExpirationMs?: number;
  limits?: Partial<VercelSandboxLimits>;
  /** Used by the SDK for every request (tests inject a recorded stand-in of the API). */
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

const DEFAULT_SESSION_TIMEOUT_MS = 30 * 60_000;
const MIB_PER_VCPU = 2048;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A memory mount's name: one path segment, as lib/sessions makes it (session-memory-stores.ts). */
const MOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** The tag naming the session a VM belongs to. */
export const SESSION_TAG = "oma_session";

/**
 * Sandboxes as Vercel Sandbox microVMs. Constructing the provider sends nothing; each `provision`
 * creates a VM (the harness provisions on the first tool call). The API token stays here: VMs get
 * neither it nor `credentialHeaders`, which Vercel's firewall adds to requests on their way out.
 * VMs are created non-persistent: this provider decides when to snapshot (see `idleMs`), so a VM
 * that stops on its own is reported as `sandbox_dead` rather than silently restarted empty.
 */
export class VercelSandboxProvider implements SandboxProvider {
  readonly name = "vercel";
  private readonly credentials: VercelSdkCredentials;
  private readonly secrets: string[];
  private readonly limits: VercelSandboxLimits;
  private readonly sandboxes = new Map<string, VercelSandbox>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: VercelSandboxProviderOptions) {
    if (options.image !== undefined && options.runtime !== undefined) {
      throw new SandboxError("provision_failed", "the vercel sandbox provider takes an image or a runtime, not both");
    }
    this.credentials = toSdkCredentials(options.credentials);
    buildNetworkPolicy(options.networkPolicy, options.credentialHeaders); // refuses bad credential headers now, not at the first provision
    this.secrets = [...credentialSecrets(options.credentials), ...credentialHeaderValues(options.credentialHeaders)];
    this.limits = { ...DEFAULT_VERCEL_LIMITS, ...options.limits };
    if (options.idleMs !== undefined && options.idleMs > 0) {
      const every = Math.max(1_000, Math.min(options.idleMs, 60_000));
      this.timer = setInterval(() => void this.snapshotIdle(), every);
      this.timer.unref();
    }
  }

  /**
   * Creates a VM with the provision's network policy and credential rules on Vercel's firewall,
   * and its repository as Vercel's git source (see git-source.ts). Neither credential values nor
   * repository tokens go into the VM's environment, a command or a file.
   */
  async provision(options: ProvisionOptions): Promise<Sandbox> {
    const memoryMounts = options.memoryMounts ?? [];
    for (const mount of memoryMounts) {
      if (!MOUNT_NAME.test(mount.name)) throw new SandboxError("provision_failed", `invalid memory mount name: ${mount.name.slice(0, 128)}`);
    }
    const credentialValues = (options.credentials ?? []).map((c) => c.value);
    const repositoryTokens = (options.repositories ?? []).flatMap((r) => (r.token ? [r.token] : []));
    const env = this.checkEnv(options.env ?? {}, [...credentialValues, ...repositoryTokens]);
    const networkPolicy = this.networkPolicyFor(options);
    const checkout = gitCheckoutOf(options.repositories);
    const resources = options.resources ?? {};
    const vcpus = Math.max(this.options.vcpus ?? 0, Math.ceil((resources.memoryMb ?? 0) / MIB_PER_VCPU)) || undefined;
    let vm: VercelVm;
    try {
      const base = this.options.image !== undefined ? { image: this.options.image } : { runtime: this.options.runtime };
      vm = await VercelVm.create({ ...this.createParams(options.sessionId, vcpus, networkPolicy), ...base, ...(checkout ? { source: checkout.source } : {}) });
    } catch (error) {
      throw toSandboxError(error, "provision_failed", "creating a Vercel sandbox");
    }
    await this.linkWorkspace(vm, checkout, memoryMounts);
    const sandbox = new VercelSandbox({
      id: `sbx_${randomBytes(12).toString("hex")}`,
      sessionId: options.sessionId,
      vm,
      env,
      memoryMounts,
      timeoutMs: resources.timeoutMs ?? this.limits.execTimeoutMs,
      maxOutputBytes: this.limits.maxOutputBytes,
      maxReadBytes: this.limits.maxReadBytes,
      snapshotExpirationMs: this.options.snapshotExpirationMs,
      restore: async (snapshotId) => {
        const restored = await VercelVm.create({ ...this.createParams(options.sessionId, vcpus, networkPolicy), source: { type: "snapshot", snapshotId } });
        await this.linkWorkspace(restored); // the snapshot has the link; making sure costs one command
        return restored;
      },
      status: async (name) => (await VercelVm.get({ ...this.credentials, name, resume: false, fetch: this.options.fetch })).status,
      onDestroy: (s) => this.sandboxes.delete(s.id),
      logger: this.options.logger,
    });
    this.sandboxes.set(sandbox.id, sandbox);
    return sandbox;
  }

  /** Snapshots every sandbox idle for at least `idleMs` at `now`; returns their ids. */
  async snapshotIdle(now: number = Date.now()): Promise<string[]> {
    const idleMs = this.options.idleMs;
    if (idleMs === undefined || idleMs <= 0) return [];
    const all = [...this.sandboxes.values()];
    const done = await Promise.all(all.map((s) => s.snapshotIfIdle(now, idleMs).catch(() => false)));
    return all.filter((_, i) => done[i]).map((s) => s.id);
  }

  /** Stops the idle timer and destroys every sandbox this provider still holds. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.sandboxes.values()].map((s) => s.destroy()));
  }

  /**
   * The firewall policy of one provision: its `network` (or the provider's default, "deny-all"
   * without one), the provider's credential headers and the provision's placeholder rules.
   */
  private networkPolicyFor(options: ProvisionOptions): NetworkPolicy | undefined {
    const base = options.network ? vercelNetworkPolicy(options.network) : (this.options.networkPolicy ?? "deny-all");
    const rules = options.network && options.credentials?.length ? placeholderRules(options.credentials, options.network, this.options.logger) : new Map();
    return buildNetworkPolicy(base, this.options.credentialHeaders, rules);
  }

  /**
   * What every VM is created with, from scratch or from a snapshot. The session's id is a tag, by
   * which any process with the credentials finds the session's live VM (the workspace panel).
   */
  private createParams(sessionId: string, vcpus: number | undefined, networkPolicy: NetworkPolicy | undefined) {
    return {
      ...this.credentials,
      tags: { [SESSION_TAG]: sessionId },
      fetch: this.options.fetch,
      persistent: false,
      timeout: this.options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      resources: vcpus === undefined ? undefined : { vcpus },
      networkPolicy,
    };
  }

  /** Environment for every command: valid names, and never a credential this provider or the provision holds. */
  private checkEnv(env: Record<string, string>, provisionSecrets: readonly string[]): Record<string, string> {
    const secrets = [...this.secrets, ...provisionSecrets];
    for (const [name, value] of Object.entries(env)) {
      if (!ENV_NAME.test(name)) throw new SandboxError("provision_failed", `invalid environment variable name: ${name}`);
      if (secrets.some((secret) => secret.length > 0 && value.includes(secret))) {
        throw new SandboxError("provision_failed", `environment variable ${name} holds a credential; credentials never enter a sandbox`);
      }
    }
    return { ...env };
  }

  /**
   * Links /workspace to the VM's workspace (also proving the VM runs commands), makes the memory
   * mounts' directories, then puts a cloned repository in place. Stops and deletes the VM on failure.
   */
  private async linkWorkspace(vm: VercelVm, checkout?: GitCheckout, memoryMounts: readonly MemoryMount[] = []): Promise<void> {
    let detail: string;
    try {
      const steps = [
        { ...LINK_WORKSPACE, sudo: true },
        ...(memoryMounts.length > 0 ? [prepareMountsCommand(memoryMounts)] : []),
        ...(checkout ? [checkout.place] : []),
      ];
      let result = await vm.currentSession().runCommand(steps[0]!);
      for (const step of steps.slice(1)) {
        if (result.exitCode !== 0) break;
        result = await vm.currentSession().runCommand(step);
      }
      if (result.exitCode === 0) return;
      detail = (await result.stderr()).trim() || `exit code ${result.exitCode}`;
    } catch (error) {
      detail = toSandboxError(error, "provision_failed", "preparing the workspace").message;
    }
    try {
      await vm.stop();
      await vm.delete();
    } catch (error) {
      if (!isGoneError(error)) this.options.logger?.warn("vercel sandbox cleanup failed", { sandbox: vm.name, error });
    }
    throw new SandboxError("provision_failed", `the Vercel sandbox could not prepare /workspace: ${detail}`);
  }
}
