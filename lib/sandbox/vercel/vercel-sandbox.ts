import "server-only";
import type { Readable } from "node:stream";
import type { Sandbox as VercelVm, Session, Snapshot } from "@vercel/sandbox";
import type { Logger } from "@/lib/log";
import { SandboxError } from "../errors";
import { memoryMountTarget } from "../paths";
import type { ExecOptions, ExecResult, MemoryMount, MountContents, Sandbox, SandboxAttachments } from "../types";
import { apiStatus, isGoneError, toSandboxError } from "./api-errors";
import { assertRelativePaths, expectSuccess, fillMount, listMount, mountDir, prepareMountsCommand, readMountContents } from "./memory-mounts";
import { runSessionCommand } from "./run-command";
import { resolveWorkspacePath, type WorkspacePath } from "./workspace-paths";

export interface VercelSandboxConfig {
  id: string;
  sessionId: string;
  vm: VercelVm;
  env: Record<string, string>;
  /** Memory stores at /mnt/memory/<name> (their directories exist: the provider made them); see memory-mounts.ts. */
  memoryMounts?: readonly MemoryMount[];
  /** Default and maximum wall-clock time of one exec. */
  timeoutMs: number;
  maxOutputBytes: number;
  maxReadBytes: number;
  /** Lifetime of idle snapshots; Vercel's default when omitted. */
  snapshotExpirationMs?: number;
  /** Creates a VM from a snapshot with the provider's settings. */
  restore: (snapshotId: string) => Promise<VercelVm>;
  /** Status of a sandbox's current session ("running", "stopped", …); throws a 404 when it no longer exists. */
  status: (name: string) => Promise<string>;
  onDestroy: (sandbox: VercelSandbox) => void;
  logger?: Logger;
}

type VmState =
  | { kind: "running"; vm: VercelVm }
  /** Snapshotted while idle; the VM is stopped and the next call restores the snapshot. */
  | { kind: "snapshotted"; snapshot: Snapshot; stopped: VercelVm }
  /** Stopped on its own (timeout, crash) or its snapshot failed: every call is `sandbox_dead`. */
  | { kind: "lost"; reason: string; vm: VercelVm }
  | { kind: "destroyed" };

/** Reports whether a path exists and what it is; $1 = path. */
const CLASSIFY = 'if [ -d "$1" ]; then echo directory; elif [ ! -e "$1" ]; then echo missing; elif [ -f "$1" ]; then echo file; else echo other; fi';

/**
 * One Vercel Sandbox VM (Firecracker microVM) as the project's Sandbox. Files under /workspace and
 * everything else on the VM's disk persist between execs; processes do not outlive their exec
 * (each one is killed at its deadline), but a detached background process may, as on any VM.
 *
 * While idle it can be snapshotted, which stops the VM; the next call transparently creates a new
 * VM from the snapshot. The snapshot holds the whole filesystem (the workspace, /tmp, installed
 * packages, the /workspace link); running processes, memory and the session clock do not survive.
 * The VM's environment variables are not stored in it: they are passed with every command.
 */
export class VercelSandbox implements Sandbox {
  readonly id: string;
  readonly sessionId: string;
  private state: VmState;
  private destroyed = false;
  private active = 0;
  private lastUsed = Date.now();
  /** A snapshot or restore in progress; calls wait for it. */
  private transition: Promise<void> | null = null;
  private readonly snapshots: Snapshot[] = [];
  /** Per memory mount, the files it held when last filled or read back, so unchanged ones are neither sent nor fetched again. */
  private readonly mountKnown = new Map<string, Map<string, string>>();
  /** The memory stores mounted now: those it was provisioned with, then as `attach` last set them. */
  private memoryMounts: readonly MemoryMount[];

  constructor(private readonly config: VercelSandboxConfig) {
    this.id = config.id;
    this.sessionId = config.sessionId;
    this.state = { kind: "running", vm: config.vm };
    this.memoryMounts = config.memoryMounts ?? [];
  }

  /** Name of the current Vercel sandbox (it changes when a snapshot is restored). */
  get vercelName(): string | undefined {
    return this.state.kind === "destroyed" ? undefined : (this.state.kind === "snapshotted" ? this.state.stopped : this.state.vm).name;
  }

  get snapshotted(): boolean {
    return this.state.kind === "snapshotted";
  }

  get lastActivityAt(): number {
    return this.lastUsed;
  }

  get busy(): boolean {
    return this.active > 0 || this.transition !== null;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const cwd = resolveWorkspacePath(options.cwd ?? ".").sandboxPath;
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? this.config.timeoutMs, this.config.timeoutMs));
    return this.track("running a command", (session) =>
      runSessionCommand(session, {
        command,
        cwd,
        env: this.config.env,
        stdin: options.stdin,
        onOutput: options.onOutput,
        timeoutMs,
        maxOutputBytes: this.config.maxOutputBytes,
      }),
    );
  }

  async readFile(filePath: string): Promise<Buffer> {
    const target = this.target(filePath, "read");
    if (target.relative === "") throw new SandboxError("not_a_file", `${target.sandboxPath} is a directory`);
    return this.track(`reading ${target.sandboxPath}`, async (session) => {
      let stream: NodeJS.ReadableStream | null;
      try {
        stream = await session.readFile({ path: target.vercelPath });
      } catch (error) {
        if (!isClientError(error)) throw error;
        stream = null; // what the API says about directories and the like: find out below
      }
      if (stream === null) throw await describeUnreadable(session, target);
      return readCapped(stream, this.config.maxReadBytes, target.sandboxPath);
    });
  }

  async writeFile(filePath: string, content: string | Buffer): Promise<void> {
    const target = this.target(filePath, "write");
    if (target.relative === "") throw new SandboxError("not_a_file", `${target.sandboxPath} is a directory`);
    const bytes = typeof content === "string" ? Buffer.from(content) : content;
    return this.track(`writing ${target.sandboxPath}`, async (session) => {
      try {
        await session.writeFiles([{ path: target.vercelPath, content: bytes }]);
      } catch (error) {
        if (!isClientError(error)) throw error;
        const described = await describeUnreadable(session, target);
        throw described.code === "io_error" ? error : described;
      }
    });
  }

  /**
   * A sandbox path as the file API sees it: under /workspace, or under a memory mount
   * (`/mnt/memory/<name>/…`, the same path in the VM). A read-only mount refuses writes here, as
   * the local sandbox's file system does; an unknown mount is not_found.
   */
  private target(filePath: string, access: "read" | "write"): WorkspacePath {
    const mounted = memoryMountTarget(filePath);
    if (!mounted) return resolveWorkspacePath(filePath);
    const mount = this.mount(mounted.name);
    const root = mountDir(mount.name);
    if (access === "write" && mount.readOnly && mounted.relative !== "") {
      throw new SandboxError("io_error", `${root} is a read-only memory store: its files cannot be changed`);
    }
    const path = mounted.relative === "" ? root : `${root}/${mounted.relative}`;
    return { relative: mounted.relative, sandboxPath: path, vercelPath: path };
  }

  private mount(name: string): MemoryMount {
    const mount = this.memoryMounts.find((m) => m.name === name);
    if (!mount) throw new SandboxError("not_found", `no memory store is mounted at ${mountDir(name)}`);
    return mount;
  }

  /**
   * Makes the mount hold exactly `files`, sending only what differs from what the VM has (see
   * memory-mounts.ts). Also how a read-only store is rolled back after a call that changed it.
   */
  async writeMount(name: string, files: ReadonlyMap<string, string>): Promise<void> {
    const mount = this.mount(name);
    assertRelativePaths(files);
    return this.track(`filling ${mountDir(name)}`, async (session) => {
      let listing = await listMount(session, mount, MAX_HASHED_BYTES);
      if (listing === null) {
        // removed from inside the VM (with sudo): made again, empty
        await expectSuccess(session, prepareMountsCommand([mount]), `making ${mountDir(name)}`);
        listing = new Map();
      }
      await fillMount(session, mount, files, listing);
      this.mountKnown.set(name, new Map(files));
    });
  }

  /** The mount's tree as the last command left it, fetching only files whose hash changed. */
  async readMount(name: string, options: { maxFileBytes: number }): Promise<MountContents> {
    const mount = this.mount(name);
    return this.track(`reading ${mountDir(name)}`, async (session) => {
      const listing = await listMount(session, mount, Math.max(options.maxFileBytes, MAX_HASHED_BYTES));
      if (listing === null) throw new SandboxError("io_error", `${mountDir(name)} is no longer there`);
      const contents = await readMountContents(session, mount, listing, this.mountKnown.get(name) ?? new Map(), options.maxFileBytes);
      this.mountKnown.set(name, new Map(contents.files));
      return contents;
    });
  }

  /**
   * Memory stores added to a running session are mounted from now on (their directory is made
   * when the harness first fills it, as `writeMount` makes a missing one); a removed store's
   * directory is deleted. Not yet: a repository is cloned only as the VM's git source when it is
   * created, so one added to a running session is refused here; the harness tells the agent so in
   * the tool result.
   */
  async attach(change: SandboxAttachments): Promise<void> {
    if (change.repositories.length > 0) throw new SandboxError("io_error", "repositories cannot be added to a running Vercel sandbox yet");
    const removed = this.memoryMounts.filter((known) => !change.memoryMounts.some((m) => m.name === known.name));
    this.memoryMounts = [...change.memoryMounts];
    for (const { name } of removed) this.mountKnown.delete(name);
    if (removed.length === 0) return;
    await this.track("removing memory stores", (session) =>
      expectSuccess(session, { cmd: "rm", args: ["-rf", "--", ...removed.map((m) => mountDir(m.name))], sudo: true }, "removing memory stores"),
    );
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.config.onDestroy(this);
    await this.transition?.catch(() => {});
    const state = this.state;
    this.state = { kind: "destroyed" };
    if (state.kind === "running") await this.quietly("stop", () => state.vm.stop());
    if (state.kind !== "destroyed") {
      const vm = state.kind === "snapshotted" ? state.stopped : state.vm;
      await this.quietly("delete", () => vm.delete({ deleteOrphanSnapshots: true }));
    }
    for (const snapshot of this.snapshots.splice(0)) await this.quietly("delete snapshot", () => snapshot.delete());
  }

  async isAlive(): Promise<boolean> {
    await this.transition?.catch(() => {});
    if (this.destroyed) return false;
    const state = this.state;
    if (state.kind === "snapshotted") return true; // restored on the next call
    if (state.kind !== "running") return false;
    try {
      const status = await this.config.status(state.vm.name);
      if (status === "running" || status === "pending") return true;
    } catch (error) {
      if (!isGoneError(error)) throw toSandboxError(error, "io_error", "checking the sandbox");
    }
    if (this.state === state) this.state = { kind: "lost", reason: "it stopped", vm: state.vm };
    return false;
  }

  /**
   * Snapshots the VM (which stops it) if nothing has used it for `idleMs` at `now`. Returns whether
   * it did. A failure leaves the VM as it was; the next call finds out whether it still runs.
   */
  async snapshotIfIdle(now: number, idleMs: number): Promise<boolean> {
    const state = this.state;
    if (state.kind !== "running" || this.busy || now - this.lastUsed < idleMs) return false;
    const expiration = this.config.snapshotExpirationMs;
    this.transition = (async () => {
      try {
        const snapshot = await state.vm.currentSession().snapshot(expiration === undefined ? undefined : { expiration });
        this.snapshots.push(snapshot);
        this.state =
          snapshot.status === "created"
            ? { kind: "snapshotted", snapshot, stopped: state.vm }
            : { kind: "lost", reason: "its idle snapshot failed", vm: state.vm };
      } catch (error) {
        if (isGoneError(error)) this.state = { kind: "lost", reason: "it stopped", vm: state.vm };
        else this.config.logger?.warn("vercel sandbox snapshot failed", { sandboxId: this.id, error });
      }
    })().finally(() => (this.transition = null));
    await this.transition;
    return this.state.kind === "snapshotted";
  }

  /** Runs `call` against a running VM, restoring it first if it was snapshotted. */
  private async track<T>(doing: string, call: (session: Session) => Promise<T>): Promise<T> {
    this.assertAlive();
    this.active += 1;
    this.lastUsed = Date.now();
    try {
      const result = await call(await this.session());
      this.assertAlive();
      return result;
    } catch (error) {
      this.assertAlive();
      const mapped = toSandboxError(error, "io_error", doing);
      const state = this.state;
      if (mapped.code === "sandbox_dead" && state.kind === "running") {
        this.state = { kind: "lost", reason: "it stopped", vm: state.vm };
      }
      throw mapped;
    } finally {
      this.active -= 1;
      this.lastUsed = Date.now();
    }
  }

  private async session(): Promise<Session> {
    while (this.transition) await this.transition.catch(() => {});
    this.assertAlive();
    const state = this.state;
    if (state.kind === "lost") throw new SandboxError("sandbox_dead", `the Vercel sandbox is gone: ${state.reason}`);
    if (state.kind === "snapshotted") {
      this.transition = this.restore(state).finally(() => (this.transition = null));
      await this.transition;
      return this.session();
    }
    if (state.kind === "destroyed") throw new SandboxError("sandbox_dead", `sandbox ${this.id} has been destroyed`);
    return state.vm.currentSession();
  }

  private async restore(state: Extract<VmState, { kind: "snapshotted" }>): Promise<void> {
    let vm: VercelVm;
    try {
      vm = await this.config.restore(state.snapshot.snapshotId);
    } catch (error) {
      const doing = "restoring the sandbox from its snapshot";
      if (isGoneError(error)) this.state = { kind: "lost", reason: "its snapshot could not be restored", vm: state.stopped };
      if (error instanceof SandboxError) throw new SandboxError("io_error", `${doing}: ${error.message}`, { cause: error });
      throw toSandboxError(error, "io_error", doing);
    }
    this.state = { kind: "running", vm };
    // The stopped VM's record; its snapshot stays (the new VM came from it) until destroy.
    await this.quietly("delete", () => state.stopped.delete());
  }

  private async quietly(action: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (!isGoneError(error)) this.config.logger?.warn("vercel sandbox cleanup failed", { sandboxId: this.id, action, error });
    }
  }

  private assertAlive(): void {
    if (this.destroyed) throw new SandboxError("sandbox_dead", `sandbox ${this.id} has been destroyed`);
  }
}

/** Files up to this size are hashed when a mount is listed (a memory is at most 100 kB). */
const MAX_HASHED_BYTES = 1024 * 1024;

/** A 4xx other than "the VM is gone": the request was about a path the API would not serve. */
function isClientError(error: unknown): boolean {
  const status = apiStatus(error);
  return status !== undefined && status >= 400 && status < 500 && !isGoneError(error);
}

/** Asks the VM what is at a path the file API would not read or write, and says so as a typed error. */
async function describeUnreadable(session: Session, target: WorkspacePath): Promise<SandboxError> {
  const result = await session.runCommand({ cmd: "bash", args: ["-c", CLASSIFY, "bash", target.vercelPath] });
  const kind = result.exitCode === 0 ? (await result.stdout()).trim() : "unknown";
  const where = target.sandboxPath;
  switch (kind) {
    case "directory":
      return new SandboxError("not_a_file", `${where} is a directory`);
    case "missing":
      return new SandboxError("not_found", `${where} does not exist (or a parent is not a directory)`);
    case "other":
      return new SandboxError("not_a_file", `${where} is not a regular file`);
    default:
      return new SandboxError("io_error", `cannot access ${where}`);
  }
}

async function readCapped(stream: NodeJS.ReadableStream, maxBytes: number, where: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes) {
      (stream as Readable).destroy?.();
      throw new SandboxError("too_large", `${where} is larger than ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
