import "server-only";
import { createHash } from "node:crypto";
import type { Session } from "@vercel/sandbox";
import { SandboxError } from "../errors";
import { MEMORY_MOUNT_ROOT, type MemoryMount, type MountContents } from "../types";
import { VERCEL_WORKSPACE_DIR } from "./workspace-paths";

/**
 * Memory stores in a Vercel sandbox: plain directories at `/mnt/memory/<name>` inside the VM,
 * owned by the sandbox user (made with sudo at provisioning, since /mnt is root's). There is no
 * bind mount to make one read-only: Vercel runs commands as the `vercel-sandbox` user, who has
 * passwordless sudo, so no permission holds against the agent. Instead:
 * - a read-only store's directory is made unwritable (`chmod -R a-w`), so an ordinary write fails
 *   at once with "Permission denied", as the local sandbox's read-only bind fails with EROFS;
 * - and, what holds even against sudo, after each tool call the harness reads every mount back
 *   (lib/harness/memory-sync.ts): a read-only store that differs from what was mounted is reported
 *   in the tool result and rolled back to it (`writeMount`), and nothing of it is saved.
 *
 * Both directions send only what changed: one command lists a mount with each file's sha256; a
 * fill then uploads only files whose content differs and removes only what should not be there,
 * and a read-back fetches only files whose hash differs from what was last written or read.
 */

/** Most files read back from one mount; more is refused (as the local provider does). */
export const MAX_MOUNT_FILES = 2_000;
/** Deepest directory read back (a memory path has at most 20 segments). */
export const MAX_MOUNT_DEPTH = 20;
/** Bound on one listing's output (a path is at most 1,024 bytes; MAX_MOUNT_FILES of them and their hashes fit well). */
const LISTING_OUTPUT_BYTES = 8 * 1024 * 1024;
const LISTING_TIMEOUT_MS = 60_000;

export function mountDir(name: string): string {
  return `${MEMORY_MOUNT_ROOT}/${name}`;
}

/**
 * Creates `/mnt/memory/<name>` for each mount, owned by the user who owns the workspace (the
 * sandbox user); /mnt/memory itself stays root's, so the agent cannot add or remove a store. Run with sudo.
 */
export function prepareMountsCommand(mounts: readonly MemoryMount[]): { cmd: string; args: string[]; sudo: true } {
  const script = [
    "set -e",
    `owner="$(stat -c %u ${VERCEL_WORKSPACE_DIR})"; group="$(stat -c %g ${VERCEL_WORKSPACE_DIR})"`,
    `install -d -m 0755 ${MEMORY_MOUNT_ROOT}`,
    `for name; do install -d -m 0755 -o "$owner" -g "$group" "${MEMORY_MOUNT_ROOT}/$name"; done`,
  ].join("\n");
  return { cmd: "bash", args: ["-c", script, "bash", ...mounts.map((m) => m.name)], sudo: true };
}

export type TListedEntry = { type: "file" | "directory" | "link" | "other"; size: number; sha256?: string };
export type TMountListing = Map<string, TListedEntry>;

/**
 * Lists a mount: every entry (type, size, path relative to it; NUL-separated), then the sha256 of
 * each regular file up to $2 bytes. $1 = the mount, $2 = the size bound, $3 = "lock" to make the
 * tree unwritable first (a read-only store). Exit 3: the mount is not there.
 */
const LIST_SCRIPT = [
  'cd -- "$1" 2>/dev/null || exit 3',
  'if [ "$3" = lock ]; then chmod -R a-w . 2>/dev/null || true; fi',
  "find . -mindepth 1 -printf 'e\\0%y\\0%s\\0%P\\0'",
  'find . -mindepth 1 -type f -size -"$2"c -print0 | xargs -0r sha256sum -z --',
].join("\n");

/** Makes the tree writable for its owner again and removes the given paths (relative to the mount). $1 = the mount. */
const CLEAR_SCRIPT = ['cd -- "$1" || exit 3', "shift", "chmod -R u+w . 2>/dev/null || true", '[ "$#" -eq 0 ] || rm -rf -- "$@"'].join("\n");

const LOCK_SCRIPT = 'cd -- "$1" && chmod -R a-w .';

const TYPES: Record<string, TListedEntry["type"]> = { f: "file", d: "directory", l: "link" };

/** The mount's entries as the VM has them; null when its directory is gone. */
export async function listMount(session: Session, mount: MemoryMount, maxHashedBytes: number): Promise<TMountListing | null> {
  const result = await session.runCommand({
    cmd: "bash",
    args: ["-c", LIST_SCRIPT, "bash", mountDir(mount.name), String(maxHashedBytes + 1), mount.readOnly ? "lock" : ""],
    timeoutMs: LISTING_TIMEOUT_MS,
  });
  if (result.exitCode === 3) return null;
  const [stdout, stderr] = await Promise.all([result.stdout(), result.stderr()]);
  if (result.exitCode !== 0) throw new SandboxError("io_error", `could not list ${mountDir(mount.name)}: ${stderr.trim() || `exit code ${result.exitCode}`}`);
  if (stdout.length > LISTING_OUTPUT_BYTES) throw new SandboxError("too_large", `${mountDir(mount.name)} holds too many files to read back`);
  return parseListing(stdout);
}

/** Reads LIST_SCRIPT's output: `e`-records first, then `sha256sum -z` lines (`<hash>  ./<path>`). */
export function parseListing(stdout: string): TMountListing {
  const tokens = stdout.split("\0");
  const listing: TMountListing = new Map();
  let i = 0;
  while (i + 3 < tokens.length && tokens[i] === "e") {
    const [kind, size, path] = [tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!];
    listing.set(path, { type: TYPES[kind] ?? "other", size: Number(size) || 0 });
    i += 4;
  }
  for (; i < tokens.length; i++) {
    const line = tokens[i]!;
    const match = /^([0-9a-f]{64})  \.\/(.+)$/s.exec(line);
    const entry = match ? listing.get(match[2]!) : undefined;
    if (entry?.type === "file") entry.sha256 = match![1];
  }
  return listing;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * What to do to turn `listing` into exactly `files`: paths to remove first (whatever is not one of
 * the files or a directory above one, and every file whose content differs, so it is written
 * afresh rather than through whatever is there), then the files to write.
 */
export function planFill(listing: TMountListing, files: ReadonlyMap<string, string>): { remove: string[]; write: string[] } {
  const dirs = new Set<string>();
  for (const relative of files.keys()) {
    const parts = relative.split("/");
    for (let n = 1; n < parts.length; n++) dirs.add(parts.slice(0, n).join("/"));
  }
  const remove: string[] = [];
  const removed = (path: string) => remove.some((r) => path.startsWith(`${r}/`));
  const unchanged = new Set<string>();
  for (const [path, entry] of [...listing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (removed(path)) continue;
    if (entry.type === "directory" && dirs.has(path)) continue;
    const wanted = files.get(path);
    if (entry.type === "file" && wanted !== undefined && entry.sha256 === sha256(wanted)) {
      unchanged.add(path);
      continue;
    }
    remove.push(path);
  }
  return { remove, write: [...files.keys()].filter((path) => !unchanged.has(path)) };
}

/** Checks the relative paths a fill is given, as the local provider does. */
export function assertRelativePaths(files: ReadonlyMap<string, string>): void {
  for (const relative of files.keys()) {
    const parts = relative.split("/");
    if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\0"))) throw new SandboxError("io_error", `not a relative path: ${JSON.stringify(relative)}`);
  }
}

/**
 * Makes the mount hold exactly `files`: removes what differs (one command, when anything does),
 * uploads only the changed files (one request), and locks a read-only store again.
 */
export async function fillMount(session: Session, mount: MemoryMount, files: ReadonlyMap<string, string>, listing: TMountListing): Promise<void> {
  const { remove, write } = planFill(listing, files);
  const dir = mountDir(mount.name);
  if (remove.length > 0 || (mount.readOnly && write.length > 0)) {
    await expectSuccess(session, { cmd: "bash", args: ["-c", CLEAR_SCRIPT, "bash", dir, ...remove] }, `clearing ${dir}`);
  }
  if (write.length > 0) {
    await session.writeFiles(write.map((relative) => ({ path: `${dir}/${relative}`, content: Buffer.from(files.get(relative)!, "utf8"), mode: 0o644 })));
    if (mount.readOnly) await expectSuccess(session, { cmd: "bash", args: ["-c", LOCK_SCRIPT, "bash", dir] }, `locking ${dir}`);
  }
}

/**
 * The mount's tree as a read-back: regular files as text (from `known` when their hash matches
 * what was last written or read, otherwise fetched), and what cannot be a memory with why.
 */
export async function readMountContents(
  session: Session,
  mount: MemoryMount,
  listing: TMountListing,
  known: ReadonlyMap<string, string>,
  maxFileBytes: number,
): Promise<MountContents> {
  const contents: MountContents = { files: new Map(), refused: [] };
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const deep: string[] = [];
  for (const [path, entry] of [...listing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (deep.some((d) => path.startsWith(`${d}/`))) continue;
    const depth = path.split("/").length - 1;
    if (entry.type === "directory") {
      if (depth >= MAX_MOUNT_DEPTH) {
        deep.push(path);
        contents.refused.push({ path, reason: `directories nest deeper than ${MAX_MOUNT_DEPTH} levels` });
      }
      continue;
    }
    if (path.includes("\uFFFD")) {
      contents.refused.push({ path, reason: "its name is not UTF-8" });
      continue;
    }
    if (entry.type !== "file") {
      contents.refused.push({ path, reason: entry.type === "link" ? "a symbolic link is not a memory" : "only regular files are memories" });
      continue;
    }
    if (contents.files.size >= MAX_MOUNT_FILES) {
      contents.refused.push({ path, reason: `more than ${MAX_MOUNT_FILES} files in one store` });
      continue;
    }
    if (entry.size > maxFileBytes) {
      contents.refused.push({ path, reason: `${entry.size} bytes is over the limit of ${maxFileBytes} bytes` });
      continue;
    }
    const cached = known.get(path);
    if (cached !== undefined && entry.sha256 === sha256(cached)) {
      contents.files.set(path, cached);
      continue;
    }
    const bytes = await session.readFileToBuffer({ path: `${mountDir(mount.name)}/${path}` });
    if (bytes === null) continue; // gone between the listing and the read: not there
    if (bytes.length > maxFileBytes) {
      contents.refused.push({ path, reason: `${bytes.length} bytes is over the limit of ${maxFileBytes} bytes` });
      continue;
    }
    try {
      contents.files.set(path, decoder.decode(bytes));
    } catch {
      contents.refused.push({ path, reason: "not UTF-8 text" });
    }
  }
  return contents;
}

/** Runs a short command, failing with io_error (its stderr) when it does not succeed. */
export async function expectSuccess(session: Session, command: { cmd: string; args: string[]; sudo?: boolean }, doing: string): Promise<void> {
  const result = await session.runCommand(command);
  if (result.exitCode === 0) return;
  throw new SandboxError("io_error", `${doing}: ${(await result.stderr()).trim() || `exit code ${result.exitCode}`}`);
}
