import "server-only";
import { WORKSPACE_DIR } from "../types";
import { ownerTieArgv } from "./tie-to-owner";

/** Per-process limits applied with prlimit(1) to everything a command starts. */
export interface ProcessLimits {
  cpuSeconds: number;
  memoryMb: number;
  fileSizeMb: number;
  openFiles: number;
  /** Counted per host uid across all sandboxes that share it (RLIMIT_NPROC). */
  processes: number;
}

export interface BwrapCommandOptions {
  binaries: { bwrap: string; prlimit: string; setpriv: string; unshare: string };
  workspaceDir: string;
  etcDir: string;
  limits: ProcessLimits;
  tmpSizeMb: number;
  env: Record<string, string>;
  /** Sandbox path to start in. */
  cwd: string;
  command: string;
  /**
   * Host user the sandbox runs as. When the server runs as root this is a separate, unprivileged
   * uid (setpriv drops to it), because the kernel does not apply RLIMIT_NPROC to root: without it a
   * fork bomb is unbounded. Null when the server already runs unprivileged.
   */
  dropTo: { uid: number; gid: number } | null;
  /**
   * Host directories bound at sandbox paths (memory stores at /mnt/memory/<name>): `--ro-bind` for a
   * read-only one, so a write fails with EROFS inside the sandbox, `--bind` otherwise.
   */
  mounts?: ReadonlyArray<{ hostDir: string; sandboxPath: string; readOnly: boolean }>;
  /** The process that spawns the command (default: this one); the sandbox dies with it (tie-to-owner.ts). */
  ownerPid?: number;
}

export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;

export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: WORKSPACE_DIR,
  USER: "agent",
  LANG: "C.UTF-8",
  TERM: "dumb",
};

/**
 * Runs first inside the sandbox: closes every descriptor above 2 that the server process may have
 * inherited from its own parent (Node passes those on), then runs the command in a fresh bash.
 */
const FD_CLOSER =
  'for p in /proc/$$/fd/*; do n=${p##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec /bin/bash -c "$0"';

/**
 * The full argv: the owner tie (tie-to-owner.ts: death signals, a pid namespace, setpriv dropping to
 * the sandbox user) → prlimit → bwrap → bash. Killing the spawned process group kills the pid
 * namespace's init, and with it everything the command started.
 */
export function buildSandboxArgv(options: BwrapCommandOptions): string[] {
  const { binaries, limits } = options;
  const mb = 1024 * 1024;
  const argv = ownerTieArgv({
    binaries,
    ownerPid: options.ownerPid ?? process.pid,
    dropPrivileges: options.dropTo ? [`--reuid=${options.dropTo.uid}`, `--regid=${options.dropTo.gid}`, "--clear-groups"] : [],
    // dropTo is set exactly when the server runs as root (LocalSandboxProvider).
    privileged: options.dropTo !== null,
  });
  argv.push(
    binaries.prlimit,
    `--cpu=${limits.cpuSeconds}`,
    `--data=${limits.memoryMb * mb}`,
    `--fsize=${limits.fileSizeMb * mb}`,
    `--nofile=${limits.openFiles}`,
    `--nproc=${limits.processes}`,
    "--core=0",
    "--",
  );
  argv.push(
    binaries.bwrap,
    "--unshare-all", // network (only lo), pid, ipc, uts, cgroup, mount
    "--unshare-user",
    "--uid", String(SANDBOX_UID),
    "--gid", String(SANDBOX_GID),
    "--disable-userns",
    "--cap-drop", "ALL",
    "--die-with-parent",
    "--new-session",
    "--hostname", "sandbox",
    "--clearenv",
  );
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...options.env })) {
    argv.push("--setenv", name, value);
  }
  argv.push(
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/bin", "/bin",
    "--symlink", "usr/sbin", "/sbin",
    "--symlink", "usr/lib", "/lib",
    "--symlink", "usr/lib64", "/lib64",
    "--ro-bind", options.etcDir, "/etc",
    "--bind", options.workspaceDir, WORKSPACE_DIR,
    ...(options.mounts ?? []).flatMap((m) => [m.readOnly ? "--ro-bind" : "--bind", m.hostDir, m.sandboxPath]),
    "--size", String(options.tmpSizeMb * mb), "--tmpfs", "/tmp",
    "--proc", "/proc",
    "--dev", "/dev",
    "--remount-ro", "/", // the sandbox's own root: only /workspace, /tmp and read-write memory mounts are writable
    "--chdir", options.cwd,
    "--",
    "/bin/bash", "-c", FD_CLOSER, options.command,
  );
  return argv;
}

/** The sandbox's /etc: just enough for tools that look up users, groups and hosts. */
export function generatedEtcFiles(): Record<string, string> {
  return {
    passwd: [
      "root:x:0:0:root:/root:/usr/sbin/nologin",
      `agent:x:${SANDBOX_UID}:${SANDBOX_GID}:agent:${WORKSPACE_DIR}:/bin/bash`,
      "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
      "",
    ].join("\n"),
    group: ["root:x:0:", `agent:x:${SANDBOX_GID}:`, "nogroup:x:65534:", ""].join("\n"),
    hosts: "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "resolv.conf": "",
    "nsswitch.conf": "passwd: files\ngroup: files\nshadow: files\nhosts: files\n",
    hostname: "sandbox\n",
  };
}
