import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { SandboxError } from "../errors";
import { memoryMountTarget, toSandboxPath, toWorkspaceRelative } from "../paths";
import { cloneRepository } from "../git/clone-repository";
import { repositoryMountPath } from "../git/repository-mount-path";
import { MEMORY_MOUNT_ROOT, WORKSPACE_DIR, type ExecOptions, type ExecResult, type MemoryMount, type MountContents, type Sandbox, type SandboxAttachments } from "../types";
import { buildSandboxArgv, type ProcessLimits } from "./bwrap-command";
import type { SandboxBinaries } from "./host-setup";
import { addMountDir, adoptMountTree, MOUNT_NAME, memoryMountsDir, readMountTree, replaceMountTree } from "./memory-mount-dirs";
import { runProcess } from "./run-process";
import type { SandboxEgress } from "./sandbox-egress";
import { readWorkspaceFile, writeWorkspaceFile, type WorkspaceOwner } from "./workspace-files";

export interface LocalSandboxConfig {
  id: string;
  sessionId: string;
  /** Host path of the workspace, already resolved with realpath. */
  workspaceDir: string;
  etcDir: string;
  binaries: SandboxBinaries;
  /** Host user the sandbox runs as and owns the workspace; null when the server is unprivileged. */
  user: WorkspaceOwner | null;
  limits: ProcessLimits;
  timeoutMs: number;
  maxOutputBytes: number;
  maxReadBytes: number;
  tmpSizeMb: number;
  env: Record<string, string>;
  /** Memory stores bound at /mnt/memory/<name>; their host directories exist (memory-mount-dirs.ts). */
  memoryMounts: readonly MemoryMount[];
  /** The sandbox's network namespace and egress proxy; null: no network at all (only `lo`). */
  network: SandboxEgress | null;
  /** Leave the workspace on disk when destroyed (a session's kept workspace); its memory mounts still go. */
  keepWorkspace?: boolean;
  onDestroy: (sandbox: LocalSandbox) => void;
}

/**
 * A workspace directory on the host plus a recipe for running commands against it.
 *
 * Every `exec` is a fresh bubblewrap sandbox over the same workspace: files under /workspace
 * persist between calls, processes (and /tmp) do not. Nothing survives in memory that a crash
 * could lose, a command cannot leave a daemon behind, and the bash tool's `restart` needs no work.
 */
/** The workspace helpers' errors name /workspace paths: for a mount, they name the mount's. */
async function inMount<T>(mountPath: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    throw new SandboxError(error.code, error.message.replaceAll(WORKSPACE_DIR, mountPath).replaceAll("the workspace", mountPath), { cause: error });
  }
}

export class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly sessionId: string;
  private destroyed = false;
  private active = 0;
  private lastUsed = Date.now();
  private readonly killers = new Set<() => void>();
  /** The memory mounts bound into each command: those of the provisioning, as `attach` changed them since. */
  private memoryMounts: readonly MemoryMount[];

  constructor(private readonly config: LocalSandboxConfig) {
    this.id = config.id;
    this.sessionId = config.sessionId;
    this.memoryMounts = config.memoryMounts;
  }

  /** When the last call finished (or started, while one is running). */
  get lastActivityAt(): number {
    return this.lastUsed;
  }

  get busy(): boolean {
    return this.active > 0;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.track(() => this.run(command, options, []));
  }

  /** One command in a fresh bubblewrap sandbox, with the memory mounts and `extraMounts` bound in. */
  private async run(command: string, options: ExecOptions, extraMounts: ReadonlyArray<{ hostDir: string; sandboxPath: string; readOnly: boolean }>): Promise<ExecResult> {
    const cwd = toSandboxPath(toWorkspaceRelative(options.cwd ?? "."));
    await this.assertWorkspace(); // a missing cwd below it is reported by bwrap itself
    // a store someone else syncs (a self-hosted worker's) gets owner-only files from a root process:
    // the sandbox user is given them before each command, so the command can read them (and change
    // those of a writable store: a read-only one is bound read-only)
    for (const m of this.memoryMounts) if (m.hostDir && this.config.user) await adoptMountTree(m.hostDir, this.config.user);
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? this.config.timeoutMs, this.config.timeoutMs));
    const sandboxArgv = buildSandboxArgv({
      binaries: this.config.binaries,
      workspaceDir: this.config.workspaceDir,
      etcDir: this.config.etcDir,
      limits: this.config.limits,
      tmpSizeMb: this.config.tmpSizeMb,
      env: this.config.env,
      cwd,
      command,
      dropTo: this.config.user,
      mounts: [...this.memoryMounts.map((m) => ({ hostDir: this.mountDir(m.name), sandboxPath: `${MEMORY_MOUNT_ROOT}/${m.name}`, readOnly: m.readOnly })), ...extraMounts],
    });
    // Networked: enter the namespace whose only way out is the egress proxy (see sandbox-egress.ts).
    const argv = this.config.network ? this.config.network.wrapArgv(sandboxArgv) : sandboxArgv;
    let kill: (() => void) | undefined;
    try {
      return await runProcess({
        argv,
        timeoutMs,
        maxOutputBytes: this.config.maxOutputBytes,
        stdin: options.stdin,
        onOutput: options.onOutput,
        onStart: (k) => {
          kill = k;
          this.killers.add(k);
        },
      });
    } catch (error) {
      throw new SandboxError("sandbox_dead", "could not start the sandbox process", { cause: error });
    } finally {
      if (kill) this.killers.delete(kill);
    }
  }

  /**
   * Memory mounts: a new one gets its (empty) host directory, one no longer listed loses it. A
   * repository is cloned by git on the host into a directory beside the workspace (which no
   * sandboxed code can reach), then copied to its mount path by a command inside the sandbox, as
   * the sandbox user: sandboxed code may have put links anywhere in the workspace by now, and
   * inside the sandbox a link can lead nowhere the sandbox user could not write anyway. A mount
   * path where something is already is refused (the workspace's content is the agent's).
   */
  async attach(change: SandboxAttachments): Promise<void> {
    return this.track(async () => {
      for (const mount of change.memoryMounts) {
        if (!MOUNT_NAME.test(mount.name)) throw new SandboxError("io_error", `invalid memory mount name: ${mount.name.slice(0, 128)}`);
      }
      const names = new Set(change.memoryMounts.map((m) => m.name));
      for (const gone of this.memoryMounts.filter((m) => !names.has(m.name))) {
        await fs.rm(this.mountDir(gone.name), { recursive: true, force: true, maxRetries: 3 });
      }
      const had = new Set(this.memoryMounts.map((m) => m.name));
      for (const mount of change.memoryMounts.filter((m) => !had.has(m.name))) await addMountDir(this.config.workspaceDir, mount.name, this.config.user);
      this.memoryMounts = [...change.memoryMounts];
      for (const repo of change.repositories) await this.cloneIn(repo);
    });
  }

  private async cloneIn(repo: SandboxAttachments["repositories"][number]): Promise<void> {
    const mount = repositoryMountPath(repo.url, repo.mountPath);
    if ("error" in mount) throw new SandboxError("io_error", `repository ${repo.url}: mount path ${mount.error}`);
    const staging = `${this.config.workspaceDir}.clone-${randomBytes(6).toString("hex")}`;
    try {
      try {
        await cloneRepository(repo, staging, { owner: this.config.user });
      } catch (error) {
        // a RepositoryError's message names the repository and never its token
        throw new SandboxError("io_error", error instanceof Error ? error.message : String(error), { cause: error });
      }
      const source = "/mnt/.incoming-repository";
      const target = `'${mount.path.replaceAll("'", "'\\''")}'`;
      const result = await this.run(
        `if [ -e ${target} ] || [ -L ${target} ]; then echo "something is there already" >&2; exit 3; fi; mkdir -p -- "$(dirname -- ${target})" && cp -a -- ${source} ${target}`,
        {},
        [{ hostDir: staging, sandboxPath: source, readOnly: true }],
      );
      if (result.exitCode !== 0) throw new SandboxError("io_error", `repository ${repo.url} was not put at ${mount.path}: ${result.stderr.trim().slice(0, 500) || "the copy failed"}`);
    } finally {
      await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  async readFile(filePath: string): Promise<Buffer> {
    const mounted = this.mountedFile(filePath, "read");
    if (mounted) return this.track(() => inMount(mounted.path, readWorkspaceFile(mounted.dir, mounted.relative, this.config.maxReadBytes)));
    const relative = toWorkspaceRelative(filePath);
    return this.track(() => readWorkspaceFile(this.config.workspaceDir, relative, this.config.maxReadBytes));
  }

  async writeFile(filePath: string, content: string | Buffer): Promise<void> {
    const mounted = this.mountedFile(filePath, "write");
    if (mounted) return this.track(() => inMount(mounted.path, writeWorkspaceFile(mounted.dir, mounted.relative, content, this.config.user)));
    const relative = toWorkspaceRelative(filePath);
    return this.track(() => writeWorkspaceFile(this.config.workspaceDir, relative, content, this.config.user));
  }

  /**
   * A file under a memory mount (`/mnt/memory/<name>/…`), for the file tools: its mount's host
   * directory, with the same symlink checks as the workspace's. Null for any other path. A
   * read-only mount refuses writes here as the sandbox's file system does.
   */
  private mountedFile(filePath: string, access: "read" | "write"): { dir: string; relative: string; path: string } | null {
    const target = memoryMountTarget(filePath);
    if (!target) return null;
    const root = `${MEMORY_MOUNT_ROOT}/${target.name}`;
    const mount = this.memoryMounts.find((m) => m.name === target.name);
    if (!mount) throw new SandboxError("not_found", `no memory store is mounted at ${root}`);
    if (target.relative === "") throw new SandboxError("not_a_file", `${root} is a directory`);
    if (access === "write" && mount.readOnly) throw new SandboxError("io_error", `${root} is a read-only memory store: its files cannot be changed`);
    return { dir: this.mountDir(target.name), relative: target.relative, path: root };
  }

  async writeMount(name: string, files: ReadonlyMap<string, string>): Promise<void> {
    const dir = this.mountDir(name);
    return this.track(() => replaceMountTree(dir, files, this.config.user));
  }

  async readMount(name: string, options: { maxFileBytes: number }): Promise<MountContents> {
    const dir = this.mountDir(name);
    return this.track(() => readMountTree(dir, options.maxFileBytes));
  }

  private mountDir(name: string): string {
    const mount = this.memoryMounts.find((m) => m.name === name);
    if (!mount) throw new SandboxError("not_found", `no memory mount named ${name}`);
    return mount.hostDir ?? `${memoryMountsDir(this.config.workspaceDir)}/${name}`;
  }

  /** Kills running commands, deletes the workspace (and its memory mounts), and stops the egress proxy and its namespace. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const kill of this.killers) kill();
    this.killers.clear();
    this.config.onDestroy(this);
    try {
      if (!this.config.keepWorkspace) await fs.rm(this.config.workspaceDir, { recursive: true, force: true, maxRetries: 3 });
      await fs.rm(memoryMountsDir(this.config.workspaceDir), { recursive: true, force: true, maxRetries: 3 });
    } finally {
      await this.config.network?.close();
    }
  }

  async isAlive(): Promise<boolean> {
    if (this.destroyed) return false;
    try {
      return (await fs.stat(this.config.workspaceDir)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Refuses calls on a destroyed sandbox, and fails calls that a destroy() interrupted. */
  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.assertAlive();
    this.active += 1;
    this.lastUsed = Date.now();
    try {
      const result = await call();
      this.assertAlive();
      return result;
    } catch (error) {
      this.assertAlive();
      throw error;
    } finally {
      this.active -= 1;
      this.lastUsed = Date.now();
    }
  }

  private assertAlive(): void {
    if (this.destroyed) throw new SandboxError("sandbox_dead", `sandbox ${this.id} has been destroyed`);
  }

  private async assertWorkspace(): Promise<void> {
    if (!(await this.isAlive())) throw new SandboxError("sandbox_dead", "the sandbox workspace no longer exists");
  }
}
