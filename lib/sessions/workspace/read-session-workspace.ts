import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";
import type { SessionStore } from "@/lib/event-log/session-store";
import { findTeamSession } from "../find-team-session";
import { DOWNLOAD_BYTES, findWorkspaceDir, listWorkspace, PREVIEW_BYTES, previewText, readWorkspaceEntry, workspacePath, type TWorkspaceListing } from "./session-workspace";
import { zipWorkspace } from "./zip-workspace";

/**
 * The session page's workspace panel (a member of the team): the live local sandbox's files,
 * listed, previewed, downloaded one by one or all as a zip. `rootDir`: where this process's local
 * sandboxes keep their workspaces (absent: none here).
 */
type TDeps = { store: SessionStore; rootDir?: string };
type TOptions = { teamId: string; sessionId: string };

async function workspaceOf(deps: TDeps, options: TOptions): Promise<string | null> {
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  return deps.rootDir ? findWorkspaceDir(deps.rootDir, session.id) : null;
}

async function requireWorkspace(deps: TDeps, options: TOptions): Promise<string> {
  const dir = await workspaceOf(deps, options);
  if (!dir) throw new AppError("not_found", "the session has no live sandbox on this server");
  return dir;
}

export async function listSessionWorkspace(deps: TDeps, options: TOptions): Promise<TWorkspaceListing> {
  const dir = await workspaceOf(deps, options);
  return dir ? listWorkspace(dir) : null;
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
