import "server-only";
import path from "node:path";
import { SandboxError } from "./errors";
import { MEMORY_MOUNT_ROOT, WORKSPACE_DIR } from "./types";

/**
 * Turns a sandbox path (`/workspace/a/b`, `a/b`, `./a/../b`) into a normalized path relative to
 * the workspace ("" for the workspace itself). Purely lexical: symlinks are the provider's job.
 */
export function toWorkspaceRelative(input: string): string {
  if (input.length === 0) throw new SandboxError("path_outside_workspace", "path is empty");
  if (input.includes("\0")) throw new SandboxError("path_outside_workspace", "path contains a NUL byte");
  const absolute = path.posix.resolve(WORKSPACE_DIR, input);
  if (absolute === WORKSPACE_DIR) return "";
  if (!absolute.startsWith(`${WORKSPACE_DIR}/`)) {
    throw new SandboxError("path_outside_workspace", `${input} is outside ${WORKSPACE_DIR}`);
  }
  return absolute.slice(WORKSPACE_DIR.length + 1);
}

/** The absolute sandbox path of a workspace-relative path. */
export function toSandboxPath(relative: string): string {
  return relative === "" ? WORKSPACE_DIR : `${WORKSPACE_DIR}/${relative}`;
}

/**
 * Where a sandbox path points when it is under `/mnt/memory/<name>` (a memory store's mount): the
 * mount's name and the path below it ("" for the mount itself). Null for any other path, which is
 * then a workspace path (`toWorkspaceRelative`). Purely lexical, like it.
 */
export function memoryMountTarget(input: string): { name: string; relative: string } | null {
  if (input.length === 0 || input.includes("\0")) return null;
  const absolute = path.posix.resolve(WORKSPACE_DIR, input);
  if (!absolute.startsWith(`${MEMORY_MOUNT_ROOT}/`)) return null;
  const [name, ...rest] = absolute.slice(MEMORY_MOUNT_ROOT.length + 1).split("/");
  return name ? { name, relative: rest.join("/") } : null;
}
