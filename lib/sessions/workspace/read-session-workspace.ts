import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { WorkspaceLocator, WorkspaceReader } from "@/lib/sandbox/workspace-reader";
import { findTeamSession } from "../find-team-session";
import { DOWNLOAD_BYTES, LISTING_LIMITS, PREVIEW_BYTES, previewText, readWorkspaceEntry, workspacePath, type TWorkspaceListing } from "./session-workspace";
import { zipWorkspace } from "./zip-workspace";

/**
 * The session page's workspace panel (a member of the team): the live sandbox's files, listed,
 * previewed, downloaded one by one or all as a zip. `workspaces`: where live workspaces are looked
 * for, in order (the local sandboxes' directory, then Vercel when this installation has its
 * credentials); the first that has the session's answers.
 */
type TDeps = { store: SessionStore; workspaces: readonly WorkspaceLocator[] };
type TOptions = { teamId: string; sessionId: string };

async function workspaceOf(deps: TDeps, options: TOptions): Promise<WorkspaceReader | null> {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  for (const locator of deps.workspaces) {
    const found = await locator.find(session.id).catch(() => {
      throw new AppError("not_found", "the session's sandbox could not be reached");
    });
    if (found) return found;
  }
  return null;
}

async function requireWorkspace(deps: TDeps, options: TOptions): Promise<WorkspaceReader> {
  const workspace = await workspaceOf(deps, options);
  if (!workspace) throw new AppError("not_found", "the session has no live sandbox");
  return workspace;
}

export async function listSessionWorkspace(deps: TDeps, options: TOptions): Promise<TWorkspaceListing> {
  const workspace = await workspaceOf(deps, options);
  if (!workspace) return null;
  try {
    return await workspace.list(LISTING_LIMITS);
  } catch {
    throw new AppError("not_found", "the session's sandbox could not be listed");
  }
}

export async function previewWorkspaceFile(deps: TDeps, options: TOptions & { path: string | null }): Promise<{ path: string; size: number; text: string | null }> {
  const relative = workspacePath(options.path);
  const bytes = await readWorkspaceEntry(await requireWorkspace(deps, options), relative, PREVIEW_BYTES);
  return { path: relative, size: bytes.length, text: previewText(bytes) };
}

export async function downloadWorkspaceFile(deps: TDeps, options: TOptions & { path: string | null }): Promise<{ name: string; bytes: Buffer }> {
  const relative = workspacePath(options.path);
  const bytes = await readWorkspaceEntry(await requireWorkspace(deps, options), relative, DOWNLOAD_BYTES);
  return { name: path.posix.basename(relative), bytes };
}

export async function zipSessionWorkspace(deps: TDeps, options: TOptions): Promise<ReadableStream<Uint8Array>> {
  return zipWorkspace(await requireWorkspace(deps, options));
}
