import "server-only";
import { toSandboxPath, toWorkspaceRelative } from "../paths";
import { WORKSPACE_DIR } from "../types";

/**
 * Where the workspace really lives in a Vercel sandbox: the SDK's default directory, where
 * relative `writeFiles` paths land. Provisioning links `/workspace` to it, so commands see the same
 * paths as on every other provider while the file API uses the real one.
 */
export const VERCEL_WORKSPACE_DIR = "/vercel/sandbox";

/** Command that makes `/workspace` lead to the real workspace (run with sudo, once per VM). */
export const LINK_WORKSPACE = { cmd: "ln", args: ["-sfnT", VERCEL_WORKSPACE_DIR, WORKSPACE_DIR] };

export interface WorkspacePath {
  /** Relative to the workspace; "" for the workspace itself. */
  relative: string;
  /** As commands see it: `/workspace/…`. */
  sandboxPath: string;
  /** As the Vercel file API sees it: `/vercel/sandbox/…`. */
  vercelPath: string;
}

/**
 * Resolves a sandbox path (`/workspace/a`, `a`, `./a/../b`) or refuses it with
 * `path_outside_workspace`. Lexical only: a symlink inside the VM that leads elsewhere in the VM is
 * not an escape, because the VM itself is the isolation boundary and holds nothing of the host's.
 */
export function resolveWorkspacePath(input: string): WorkspacePath {
  const relative = toWorkspaceRelative(input);
  return {
    relative,
    sandboxPath: toSandboxPath(relative),
    vercelPath: relative === "" ? VERCEL_WORKSPACE_DIR : `${VERCEL_WORKSPACE_DIR}/${relative}`,
  };
}
