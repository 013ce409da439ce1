import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SANDBOX_GID, SANDBOX_UID } from "./bwrap-command";

/**
 * Where the local provider puts its workspaces, checked at boot.
 *
 * A server running as root runs its sandboxes as an unprivileged user (uid 1000), which must pass
 * through every parent directory of its workspace. A checkout under a 0700 home (`/root`, say)
 * with the default `DATA_DIR=./.data` puts the workspaces where that user cannot reach, and every
 * tool call would fail with "permission denied". So at boot:
 *
 * - `SANDBOX_DIR` set: it must be reachable, or the process stops with one line saying which
 *   directory blocks the way and what to set (the operator chose it: never moved behind their back).
 * - Not set: `<DATA_DIR>/sandboxes` when reachable; otherwise the workspaces go to
 *   `/var/lib/open-managed-agents/<hash of DATA_DIR>/sandboxes` (root-owned, 0755 parents; the hash
 *   keeps installations on one machine apart, and gives every process of one installation the same
 *   place; the egress CA, kept beside the workspaces, moves with them), and the boot log says so.
 * - Not root: sandboxes run as the server's own user, who reaches its own directories: no check.
 *
 * Directories that do not exist yet count as reachable: the provider creates them 0711.
 */
export const FALLBACK_BASE = "/var/lib/open-managed-agents";

export type TSandboxRoot = { rootDir: string; moved?: string };

export class SandboxRootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxRootError";
  }
}

export function chooseSandboxRoot(options: {
  dataDir: string;
  sandboxDir?: string;
  /** Who runs the sandboxes: null when the server is not root (then nothing to check). */
  user?: { uid: number; gid: number } | null;
  /** Tests only: where the fallback lives instead of FALLBACK_BASE. */
  fallbackBase?: string;
}): TSandboxRoot {
  const user = options.user === undefined ? (process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_GID } : null) : options.user;
  if (options.sandboxDir) {
    const rootDir = path.resolve(options.sandboxDir);
    const blocked = user && blockedParent(rootDir, user);
    if (blocked) throw new SandboxRootError(`SANDBOX_DIR=${options.sandboxDir}: ${describe(blocked, user)}; choose a directory whose every parent is world-traversable (o+x)`);
    return { rootDir };
  }
  const preferred = path.resolve(options.dataDir, "sandboxes");
  const blocked = user && blockedParent(preferred, user);
  if (!blocked) return { rootDir: preferred };
  const hash = createHash("sha256").update(path.resolve(options.dataDir)).digest("hex").slice(0, 12);
  const rootDir = path.join(options.fallbackBase ?? FALLBACK_BASE, hash, "sandboxes");
  const fallbackBlocked = blockedParent(rootDir, user);
  if (fallbackBlocked) {
    throw new SandboxRootError(`sandbox workspaces: ${describe(blocked, user)} under DATA_DIR, and ${describe(fallbackBlocked, user)} under ${options.fallbackBase ?? FALLBACK_BASE}; set SANDBOX_DIR to a directory whose every parent is world-traversable (o+x)`);
  }
  return { rootDir, moved: `${describe(blocked, user)} under DATA_DIR (${preferred}): sandbox workspaces are in ${rootDir} instead (set SANDBOX_DIR to choose)` };
}

type TBlocked = { dir: string; mode: number };

const describe = (blocked: TBlocked, user: { uid: number }) =>
  `the sandbox user (uid ${user.uid}) cannot pass through ${blocked.dir} (mode ${(blocked.mode & 0o777).toString(8).padStart(4, "0")})`;

/** The first directory on the way to `dir` (symbolic links followed) that `user` may not pass through, or null. */
export function blockedParent(dir: string, user: { uid: number; gid: number }): TBlocked | null {
  let existing = path.resolve(dir);
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  const chain: string[] = [];
  for (let current = real; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const current of chain) {
    const stat = fs.statSync(current);
    if (stat.isDirectory() && !mayTraverse(stat, user)) return { dir: current, mode: stat.mode };
  }
  return null;
}

function mayTraverse(stat: fs.Stats, user: { uid: number; gid: number }): boolean {
  if (user.uid === 0) return true;
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  // the sandbox user has no supplementary groups (setpriv --clear-groups)
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}
