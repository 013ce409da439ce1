import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import type { RepositoryCheckout } from "../types";
import { cloneRepository, type TCloneOptions } from "./clone-repository";
import { RepositoryError } from "./repository-error";
import { mountPathsOverlap, repositoryMountPath } from "./repository-mount-path";

/**
 * Clones a session's repositories into a new workspace's host directory, before the sandbox runs
 * anything in it (so no path in it can be a link planted by sandboxed code). Each goes to its
 * mount path under /workspace; the directories created on the way belong to `owner`. One at a
 * time, in order; the first failure stops and is thrown (a RepositoryError, token-free).
 */
export async function cloneRepositories(
  repositories: readonly RepositoryCheckout[],
  options: { workspaceDir: string } & TCloneOptions,
): Promise<void> {
  const targets: string[] = [];
  for (const repo of repositories) {
    const mount = repositoryMountPath(repo.url, repo.mountPath);
    if ("error" in mount) throw new RepositoryError("repository_clone_error", repo.url, `mount path ${mount.error}`);
    if (targets.some((t) => mountPathsOverlap(t, mount.path))) {
      throw new RepositoryError("repository_clone_error", repo.url, `mount path ${mount.path} overlaps another repository's`);
    }
    targets.push(mount.path);
  }
  for (const [i, repo] of repositories.entries()) {
    const relative = targets[i]!.slice("/workspace/".length);
    const hostDir = path.join(options.workspaceDir, relative);
    await makeParents(options.workspaceDir, path.dirname(relative), options.owner ?? null);
    await cloneRepository(repo, hostDir, options);
  }
}

async function makeParents(root: string, relative: string, owner: { uid: number; gid: number } | null): Promise<void> {
  let dir = root;
  for (const part of relative.split("/").filter((p) => p && p !== ".")) {
    dir = path.join(dir, part);
    try {
      await fs.mkdir(dir, { mode: 0o755 });
      if (owner) await fs.chown(dir, owner.uid, owner.gid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
