import "server-only";
/**
 * The sandbox interface: the agent's "hands". A sandbox is cattle, not a pet: provisioned lazily
 * on the first tool call, replaced when it dies, and never given credentials.
 *
 * Paths given to `readFile`/`writeFile` and `exec`'s `cwd` are sandbox paths: absolute under
 * `/workspace`, or relative to it. Anything that would resolve outside the workspace is refused
 * with `SandboxError("path_outside_workspace")`.
 */

import type { NetworkPolicy } from "@/lib/egress/host-match";
import type { EgressCredential } from "@/lib/egress/substitution";
import type { EgressObserver } from "@/lib/egress/egress-observer";

/** The agent's working directory inside every sandbox. */
export const WORKSPACE_DIR = "/workspace";

/** Where a session's memory stores appear in its sandbox: one directory each, `/mnt/memory/<name>`. */
export const MEMORY_MOUNT_ROOT = "/mnt/memory";

export interface SandboxResources {
  /** CPU seconds per process. */
  cpuSeconds?: number;
  /** Memory (data segment) per process, in MiB. */
  memoryMb?: number;
  /** Default and maximum wall-clock time of one `exec`, in milliseconds. */
  timeoutMs?: number;
  /** Largest file a process may write, in MiB. */
  diskMb?: number;
}

/** A git repository put into the workspace at provisioning; its token is used outside the sandbox only. */
export interface RepositoryCheckout {
  /** https URL, with no credentials in it. */
  url: string;
  /** Used by the host-side clone (or the provider's API), never given to the sandbox. */
  token?: string;
  checkout?: { type: "branch"; name: string } | { type: "commit"; sha: string };
  /** Sandbox path (absolute under /workspace, or relative to it). */
  mountPath: string;
}

/** A directory of text files the harness fills before each tool call and reads back after it. */
export interface MemoryMount {
  /** Path-safe, unique per session: mounted at `/mnt/memory/<name>`. */
  name: string;
  /**
   * Writes to it fail inside the sandbox: at the file system on the local provider (EROFS); on
   * Vercel, with "Permission denied" for the sandbox user (who could still get past it with sudo:
   * the harness then rolls the mount back after the call, lib/harness/memory-sync.ts).
   */
  readOnly: boolean;
  /**
   * A host directory someone else keeps in sync with the store (a self-hosted worker's: the SDK's
   * memory sync, lib/environments/hands), bound as it is: the provider neither creates nor removes
   * it, and `writeMount`/`readMount` are not for it. Absent: the provider's own directory, which
   * the harness fills and reads back around each call.
   */
  hostDir?: string;
}

/** A memory mount's tree as the sandbox left it. */
export interface MountContents {
  /** Regular files, by path relative to the mount (`notes/todo.md`), as UTF-8 text. */
  files: Map<string, string>;
  /** What is there but cannot be read back as a memory (a symlink, a file over the limit, not UTF-8), with why. */
  refused: Array<{ path: string; reason: string }>;
}

export interface ProvisionOptions {
  sessionId: string;
  resources?: SandboxResources;
  /**
   * Extra environment variables for every command. Never credentials: an `environment_variable`
   * credential appears here only as its placeholder (see `credentials`).
   */
  env?: Record<string, string>;
  /** What the sandbox may reach, enforced outside it. Absent: no network at all. */
  network?: NetworkPolicy;
  /**
   * Credentials applied outside the sandbox (egress proxy substitution for the local provider,
   * firewall header injection for vercel); the sandbox only ever sees their placeholders.
   */
  credentials?: readonly EgressCredential[];
  /** Memory stores mounted at `/mnt/memory/<name>` in every command (empty until `writeMount` fills them). */
  memoryMounts?: readonly MemoryMount[];
  /** Cloned into the workspace before the first command, with their tokens outside the sandbox. */
  repositories?: readonly RepositoryCheckout[];
  /**
   * Told of each request the sandbox's egress proxy lets out (traces). A provider whose egress is
   * not a proxy of ours (vercel: its firewall) ignores it.
   */
  egressObserver?: EgressObserver;
}

export interface ExecOptions {
  /** Wall-clock limit for this command; capped at the sandbox's own limit. */
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** Working directory (sandbox path); defaults to the workspace. */
  cwd?: string;
  /**
   * Told each chunk of output as the command writes it, before the command ends (live previews).
   * The result's `stdout`/`stderr` stay what counts; a provider that cannot stream (a self-hosted
   * worker) never calls it. Must not throw; it is called synchronously from the output stream.
   */
  onOutput?: TExecOutputListener;
  /**
   * A command the platform runs for itself around a tool call (listing what the call left in
   * /workspace/outputs, say), not the call's own: traced like any, but its exit status is not
   * the call's.
   */
  bookkeeping?: boolean;
}

export type TExecStream = "stdout" | "stderr";
export type TExecOutputListener = (stream: TExecStream, chunk: Buffer) => void;

export interface ExecResult {
  /** Exit status, or null when the command was killed (timeout, signal). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** True when stdout or stderr exceeded the output cap and its middle was dropped. */
  truncated: boolean;
  signal?: string;
}

export interface Sandbox {
  readonly id: string;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<Buffer>;
  /** Creates missing parent directories; replaces an existing file. */
  writeFile(path: string, content: string | Buffer): Promise<void>;
  /**
   * Replaces the whole tree of the memory mount `name` (given at provisioning) with `files` (paths
   * relative to the mount → text). Called between commands, never while one runs.
   */
  writeMount(name: string, files: ReadonlyMap<string, string>): Promise<void>;
  /** The tree of the memory mount `name` as the last command left it; files over `maxFileBytes` are refused. */
  readMount(name: string, options: { maxFileBytes: number }): Promise<MountContents>;
  /**
   * Changes what a running sandbox has beside its workspace, between commands (resources added to
   * or removed from a running session): `memoryMounts` is the whole set from now on (a new one is
   * mounted empty, for `writeMount` to fill; one no longer listed is unmounted and its copy in the
   * sandbox deleted); `repositories` are cloned into the workspace as at provisioning, each at a
   * mount path where nothing is yet. Throws a SandboxError naming what could not be done.
   */
  attach(change: SandboxAttachments): Promise<void>;
  /** Kills running commands and deletes the workspace. Idempotent. */
  destroy(): Promise<void>;
  isAlive(): Promise<boolean>;
}

/** What `Sandbox.attach` changes. */
export interface SandboxAttachments {
  memoryMounts: readonly MemoryMount[];
  repositories: readonly RepositoryCheckout[];
}

export interface SandboxProvider {
  readonly name: string;
  provision(options: ProvisionOptions): Promise<Sandbox>;
}
