import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { workspaceSlug } from "@/lib/sandbox/local/local-sandbox-provider";
import { readWorkspaceFile } from "@/lib/sandbox/local/workspace-files";
import type { WorkspaceListingLimits, WorkspaceLocator, WorkspaceReader } from "@/lib/sandbox/workspace-reader";
import type { TWorkspaceEntry } from "./workspace-entry";

/**
 * The files of a session's live local sandbox, as its workspace panel shows them: the workspace
 * directory on this machine (`<sandbox root>/<session id>-…`, the newest when the sandbox was
 * replaced; none once it was reclaimed). The sandboxed code controls what is in it, so nothing is
 * followed: symbolic links are listed as links, files are read through `readWorkspaceFile` (which
 * refuses a path that leads out of the workspace).
 * Decision: the listing stops at LIST_LIMIT entries and DEPTH_LIMIT levels (it says so), and a
 * preview at PREVIEW_BYTES; a local workspace on another machine is not shown. A Vercel sandbox's
 * workspace is read through its own WorkspaceLocator (lib/sandbox/vercel/vercel-workspace.ts).
 */
export const LIST_LIMIT = 2_000;
export const DEPTH_LIMIT = 12;
export const PREVIEW_BYTES = 256 * 1024;
export const DOWNLOAD_BYTES = 100 * 1024 * 1024;

export type { TWorkspaceEntry } from "./workspace-entry";
export type TWorkspaceListing = { entries: TWorkspaceEntry[]; truncated: boolean } | null;

/** The session's newest workspace directory under `rootDir`, or null when it has no live local sandbox. */
export async function findWorkspaceDir(rootDir: string, sessionId: string): Promise<string | null> {
  let names: string[];
  try {
    names = await fs.readdir(rootDir);
  } catch {
    return null;
  }
  let newest: { dir: string; at: number } | null = null;
  for (const name of names) {
    if (!name.startsWith(`${workspaceSlug(sessionId)}-`)) continue;
    const dir = path.join(rootDir, name);
    const stat = await fs.lstat(dir).catch(() => null);
    // Decision: newest by modification time. A replaced sandbox's workspace stops changing, and its
    // successor's is created after it; the inode's change time (ctime) was used before, but it moves
    // whenever anything touches the inode's metadata, an old workspace's included.
    if (stat?.isDirectory() && (!newest || stat.mtimeMs > newest.at)) newest = { dir, at: stat.mtimeMs };
  }
  return newest?.dir ?? null;
}

export const LISTING_LIMITS: WorkspaceListingLimits = { maxEntries: LIST_LIMIT, maxDepth: DEPTH_LIMIT };

/** The live local sandboxes' workspaces under `rootDir` (this machine's, or a directory shared with the others). */
export function localWorkspaces(rootDir: string | undefined): WorkspaceLocator {
  return {
    async find(sessionId) {
      const dir = rootDir ? await findWorkspaceDir(rootDir, sessionId) : null;
      return dir ? localWorkspaceReader(dir) : null;
    },
  };
}

export function localWorkspaceReader(dir: string): WorkspaceReader {
  return { list: (limits) => listWorkspace(dir, limits), read: (relative, maxBytes) => readWorkspaceFile(dir, relative, maxBytes) };
}

/** Every entry under `dir`, depth first in name order, paths relative to it with `/`. */
export async function listWorkspace(dir: string, limits: WorkspaceListingLimits = LISTING_LIMITS): Promise<{ entries: TWorkspaceEntry[]; truncated: boolean }> {
  const entries: TWorkspaceEntry[] = [];
  let truncated = false;
  const walk = async (relative: string, depth: number): Promise<void> => {
    const children = (await fs.readdir(path.join(dir, relative), { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      if (entries.length >= limits.maxEntries) {
        truncated = true;
        return;
      }
      const childPath = relative ? `${relative}/${child.name}` : child.name;
      if (child.isSymbolicLink()) entries.push({ path: childPath, type: "link", size: 0 });
      else if (child.isDirectory()) {
        entries.push({ path: childPath, type: "directory", size: 0 });
        if (depth < limits.maxDepth) await walk(childPath, depth + 1);
        else truncated = true;
      } else if (child.isFile()) {
        const stat = await fs.lstat(path.join(dir, childPath)).catch(() => null);
        entries.push({ path: childPath, type: "file", size: stat?.size ?? 0 });
      }
    }
  };
  await walk("", 1);
  return { entries, truncated };
}

/** A workspace path from the browser: relative, no `..`, no NUL, at most 4096 bytes. */
export function workspacePath(value: string | null): string {
  if (!value || value.length > 4096 || value.includes("\0")) throw new AppError("invalid_request", "path: a file of the workspace, relative to it");
  const parts = value.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.length === 0 || parts.includes("..") || value.startsWith("/")) throw new AppError("invalid_request", "path: a file of the workspace, relative to it");
  return parts.join("/");
}

/** A file of the workspace, at most `maxBytes` (a larger one is refused, saying so). */
export async function readWorkspaceEntry(workspace: WorkspaceReader, relative: string, maxBytes: number): Promise<Buffer> {
  try {
    return await workspace.read(relative, maxBytes);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "too_large") throw new AppError("invalid_request", `path: ${relative} is larger than ${maxBytes} bytes`);
    if (code === "io_error" || code === "sandbox_dead") throw new AppError("not_found", `path: ${relative} could not be read from the session's sandbox`);
    throw new AppError("not_found", `path: ${relative} is not a file of the workspace`);
  }
}

/** The text of a file for the preview, or null when it is not UTF-8 text. */
export function previewText(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return text.includes("\uFFFD") ? null : text;
}
