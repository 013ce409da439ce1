import "server-only";

/**
 * A live sandbox's workspace as the session page's Files tab reads it: from any process of the
 * installation, outside the harness that drives the sandbox, and read-only. One implementation per
 * provider: the local one reads the workspace directory on this machine (lib/sessions/workspace),
 * the Vercel one asks the session's VM through Vercel's API (vercel/vercel-workspace.ts).
 */

/** An entry of a listing: paths relative to the workspace, with `/`. */
export type WorkspaceEntry = { path: string; type: "file" | "directory" | "link"; size: number };

export type WorkspaceListingLimits = {
  /** Most entries listed; past it the listing says `truncated`. */
  maxEntries: number;
  /** Deepest level listed (1: the workspace's own entries); a directory there is not opened, and the listing says `truncated`. */
  maxDepth: number;
};

export interface WorkspaceReader {
  /** Every entry, depth first, siblings in name order (links listed, never followed). */
  list(limits: WorkspaceListingLimits): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }>;
  /**
   * A regular file of the workspace (relative path, already checked to have no `..`), at most
   * `maxBytes`. Fails with SandboxError `not_found`, `not_a_file` (or a path that leads out of the
   * workspace) or `too_large`.
   */
  read(relative: string, maxBytes: number): Promise<Buffer>;
}

/** Finds a session's live workspace on one provider. */
export interface WorkspaceLocator {
  /** The session's live workspace, or null when it has none there (never started, reclaimed, put away while idle). */
  find(sessionId: string): Promise<WorkspaceReader | null>;
}

/** Depth first, siblings in name order (`localeCompare`), a directory before what is in it. */
export function compareWorkspacePaths(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = left[i]!.localeCompare(right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}
