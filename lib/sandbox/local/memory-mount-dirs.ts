import "server-only";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { MountContents } from "../types";
import type { WorkspaceOwner } from "./workspace-files";

/**
 * The host side of a local sandbox's memory mounts: one directory per mount under
 * `<workspace>.memory/`, beside the workspace (so nothing in /workspace reaches it), bound into every
 * command at `/mnt/memory/<name>` (bwrap-command.ts). The harness fills a mount before a tool call
 * and reads it back after: commands of a session with memory mounts run one at a time
 * (lib/harness/memory-sync.ts), so no sandboxed process runs while these functions do. Even so,
 * reading never follows a link: a symlink is reported, not read, and a leaf is opened O_NOFOLLOW.
 */

/** Most files read back from one mount; more is refused (a runaway loop, not a store of memories). */
const MAX_FILES = 2_000;
/** Deepest directory read back (a memory path has at most 20 segments). */
const MAX_DEPTH = 20;

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;

export function memoryMountsDir(workspaceDir: string): string {
  return `${workspaceDir}.memory`;
}

/** Creates the (empty) directory of every mount; `owner` (a root server's sandbox user) owns them. */
export async function createMountDirs(workspaceDir: string, names: readonly string[], owner: WorkspaceOwner | null): Promise<void> {
  if (names.length === 0) return;
  const base = memoryMountsDir(workspaceDir);
  await fs.mkdir(base, { mode: 0o711 });
  if (owner) await fs.chown(base, owner.uid, owner.gid);
  for (const name of names) await makeDir(path.join(base, name), owner);
}

/** A memory mount's name: one path segment, as lib/sessions makes it (session-memory-stores.ts). */
export const MOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Creates the (empty) directory of a mount added to a running sandbox, and the mounts' directory
 * first when the sandbox had none. The mounts' directory is beside the workspace, out of the
 * sandbox's reach, so nothing in it can be a link planted by sandboxed code.
 */
export async function addMountDir(workspaceDir: string, name: string, owner: WorkspaceOwner | null): Promise<void> {
  const base = memoryMountsDir(workspaceDir);
  try {
    await fs.mkdir(base, { mode: 0o711 });
    if (owner) await fs.chown(base, owner.uid, owner.gid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await fs.rm(path.join(base, name), { recursive: true, force: true });
  await makeDir(path.join(base, name), owner);
}

/** Replaces the mount's whole tree with `files` (relative path → text), owned by the sandbox user. */
export async function replaceMountTree(dir: string, files: ReadonlyMap<string, string>, owner: WorkspaceOwner | null): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await makeDir(dir, owner);
  for (const [relative, content] of files) {
    const parts = relative.split("/");
    if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\0"))) throw new Error(`not a relative path: ${JSON.stringify(relative)}`);
    let at = dir;
    for (const part of parts.slice(0, -1)) {
      at = path.join(at, part);
      await makeDir(at, owner).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
    }
    const file = path.join(at, parts.at(-1)!);
    await fs.writeFile(file, content, { mode: 0o644, flag: "wx" });
    if (owner) await fs.chown(file, owner.uid, owner.gid);
  }
}

/** The mount's tree as it is now: regular files as text, and what cannot be a memory with why. */
export async function readMountTree(dir: string, maxFileBytes: number): Promise<MountContents> {
  const contents: MountContents = { files: new Map(), refused: [] };
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const walk = async (relative: string, depth: number): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const at = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth >= MAX_DEPTH) contents.refused.push({ path: at, reason: `directories nest deeper than ${MAX_DEPTH} levels` });
        else await walk(at, depth + 1);
        continue;
      }
      if (!entry.isFile()) {
        contents.refused.push({ path: at, reason: entry.isSymbolicLink() ? "a symbolic link is not a memory" : "only regular files are memories" });
        continue;
      }
      if (contents.files.size >= MAX_FILES) {
        contents.refused.push({ path: at, reason: `more than ${MAX_FILES} files in one store` });
        continue;
      }
      const handle = await fs.open(path.join(dir, at), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) contents.refused.push({ path: at, reason: "only regular files are memories" });
        else if (stat.size > maxFileBytes) contents.refused.push({ path: at, reason: `${stat.size} bytes is over the limit of ${maxFileBytes} bytes` });
        else {
          try {
            contents.files.set(at, decoder.decode(await handle.readFile()));
          } catch {
            contents.refused.push({ path: at, reason: "not UTF-8 text" });
          }
        }
      } finally {
        await handle.close();
      }
    }
  };
  await walk("", 0);
  return contents;
}

/**
 * Lets the sandbox user reach a host directory someone else keeps (a self-hosted worker's memory
 * store, which the SDK's worker creates owner-only under an owner-only `/mnt/memory`): its parent
 * gets o+x (pass through, not list) and the user gets the tree (`adoptMountTree`). bwrap resolves
 * a bind's source as the sandbox user, so without this the sandbox cannot start.
 */
export async function shareMountDir(dir: string, owner: WorkspaceOwner): Promise<void> {
  const parent = path.dirname(dir);
  const stat = await fs.stat(parent);
  if ((stat.mode & 0o001) === 0) await fs.chmod(parent, (stat.mode & 0o7777) | 0o111);
  await adoptMountTree(dir, owner);
}

/**
 * Gives `owner` every directory and regular file of a tree another process keeps (a self-hosted
 * worker's memory store, which the SDK's sync writes as the worker's user), never following a link:
 * a link is left as it is (the sync refuses it; the sandbox sees it dangle or point inside).
 */
export async function adoptMountTree(dir: string, owner: WorkspaceOwner, depth = 0): Promise<void> {
  const stat = await fs.lstat(dir).catch(() => null);
  if (!stat?.isDirectory()) return;
  if (stat.uid !== owner.uid || stat.gid !== owner.gid) await fs.lchown(dir, owner.uid, owner.gid);
  if (depth >= MAX_DEPTH) return;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) await adoptMountTree(at, owner, depth + 1);
    else if (entry.isFile()) await fs.lchown(at, owner.uid, owner.gid);
  }
}

async function makeDir(dir: string, owner: WorkspaceOwner | null): Promise<void> {
  await fs.mkdir(dir, { mode: 0o755 });
  if (owner) await fs.chown(dir, owner.uid, owner.gid);
}
