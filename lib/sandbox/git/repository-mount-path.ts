import "server-only";
import path from "node:path";
import { WORKSPACE_DIR } from "../types";

/**
 * Where a repository goes in the sandbox: `mount_path` when given (absolute, or relative to
 * /workspace), otherwise `/workspace/<repository name>` (the last segment of the URL's path,
 * without `.git`). The result is normalized and absolute, and strictly under /workspace: the
 * workspace itself is refused (a clone needs a directory of its own). Returns the reason as an
 * error string instead of throwing, so each caller reports it in its own terms.
 */
export function repositoryMountPath(url: string, mountPath?: string): { path: string } | { error: string } {
  const wanted = mountPath ?? defaultMountPath(url);
  if (wanted === null) return { error: "the URL has no repository name to derive a mount path from: give mount_path" };
  if (wanted.length === 0 || wanted.includes("\0")) return { error: "must be a non-empty path" };
  const absolute = path.posix.resolve(WORKSPACE_DIR, wanted);
  if (!absolute.startsWith(`${WORKSPACE_DIR}/`)) return { error: `must be a directory under ${WORKSPACE_DIR}/ (got ${wanted.slice(0, 200)})` };
  return { path: absolute };
}

/** True when one of two normalized mount paths contains the other (or they are equal). */
export function mountPathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function defaultMountPath(url: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const name = pathname.split("/").filter(Boolean).pop()?.replace(/\.git$/, "");
  if (!name || name === "." || name === "..") return null;
  return `${WORKSPACE_DIR}/${name}`;
}
