import "server-only";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { SandboxError } from "../errors";
import { generatedEtcFiles } from "./bwrap-command";

export interface SandboxBinaries {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  unshare: string;
}

const INSTALL_HINT = "run scripts/install-system-deps.sh";

/**
 * Finds bwrap, prlimit, setpriv and unshare by absolute path (commands are spawned with an empty
 * env). setpriv and unshare are needed even by an unprivileged server: they tie every sandbox to its
 * owner's life (tie-to-owner.ts).
 */
export async function resolveBinaries(): Promise<SandboxBinaries> {
  const bwrap = await findExecutable("bwrap");
  if (!bwrap) throw new SandboxError("provision_failed", `bubblewrap (bwrap) is not installed: ${INSTALL_HINT}`);
  const prlimit = await findExecutable("prlimit");
  const setpriv = await findExecutable("setpriv");
  const unshare = await findExecutable("unshare");
  if (!prlimit || !setpriv || !unshare) {
    throw new SandboxError("provision_failed", `util-linux (prlimit, setpriv, unshare) is not installed: ${INSTALL_HINT}`);
  }
  return { bwrap, prlimit, setpriv, unshare };
}

async function findExecutable(name: string): Promise<string | null> {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"];
  for (const dir of dirs) {
    if (!dir.startsWith("/")) continue;
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

/**
 * Creates the root of all workspaces and the generated /etc shared (read-only) by every sandbox.
 * The root is 0711: the sandbox user may pass through it to its own workspace but not list it.
 */
export async function prepareRootDir(rootDir: string): Promise<{ root: string; etcDir: string }> {
  await fs.mkdir(rootDir, { recursive: true, mode: 0o711 });
  const root = await fs.realpath(rootDir);
  const etcDir = path.join(root, ".etc");
  await fs.mkdir(etcDir, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(generatedEtcFiles())) {
    const file = path.join(etcDir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, content, { mode: 0o644 });
    await fs.rename(tmp, file);
  }
  return { root, etcDir };
}

/** A new, empty workspace directory owned by the sandbox user. */
export async function createWorkspace(
  root: string,
  name: string,
  owner: { uid: number; gid: number } | null,
): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { mode: 0o700 });
  if (owner) await fs.chown(dir, owner.uid, owner.gid);
  return dir;
}

/**
 * The workspace directory `<root>/<name>` of a session, created when missing and reused when
 * present (its files kept), owned by the sandbox user either way.
 */
export async function openSessionWorkspace(
  root: string,
  name: string,
  owner: { uid: number; gid: number } | null,
): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (owner) await fs.chown(dir, owner.uid, owner.gid);
  return fs.realpath(dir);
}
