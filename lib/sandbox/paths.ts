import "server-only";
import path from "node:path";
import { SandboxError } from "./errors";
import { WORKSPACE_DIR } from "./types";

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
