import "server-only";
import fs from "node:fs/promises";
import type { RepositoryCheckout } from "../types";
import { classifyGitFailure } from "./classify-git-failure";
import { gitEnvironment } from "./git-environment";
import { RepositoryError } from "./repository-error";
import { checkRepositoryUrl } from "./repository-url";
import { runGit } from "./run-git";

export type TCloneOptions = {
  /** Wall clock for the whole clone and checkout (default 5 minutes). */
  timeoutMs?: number;
  /** Host user and group the files are given to, so the sandbox user owns its clone; null keeps the server's. */
  owner?: { uid: number; gid: number } | null;
};

export const DEFAULT_CLONE_TIMEOUT_MS = 5 * 60_000;

/**
 * Clones `repo` into `hostDir` (a host path that must not exist yet, or be empty) with git on the
 * host, then checks out its branch or commit: without `checkout`, the remote's default branch.
 * The token is given to git through its environment only (see git-environment.ts), so the clone's
 * `.git/config` names the plain URL and holds no credential; the sandbox that later uses the clone
 * cannot fetch with it. A failure removes what was cloned and throws a RepositoryError whose
 * message never contains the token.
 */
export async function cloneRepository(repo: RepositoryCheckout, hostDir: string, options: TCloneOptions = {}): Promise<void> {
  const urlProblem = checkRepositoryUrl(repo.url);
  // the URL is not repeated when it is refused: it may carry credentials
  if (urlProblem) throw new RepositoryError("repository_clone_error", "(refused URL)", `the repository URL ${urlProblem}`);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_CLONE_TIMEOUT_MS);
  const env = gitEnvironment(repo.url, repo.token);
  const git = async (args: string[], step: "clone" | "checkout") => {
    const timeoutMs = Math.max(1, deadline - Date.now());
    const result = await runGit(args, { env, timeoutMs });
    if (result.timedOut) {
      const seconds = Math.round((options.timeoutMs ?? DEFAULT_CLONE_TIMEOUT_MS) / 1000);
      throw new RepositoryError("repository_clone_error", repo.url, `the clone did not finish within ${seconds} s`);
    }
    if (result.exitCode !== 0) throw classifyGitFailure({ url: repo.url, token: repo.token, stderr: result.stderr, step });
  };

  try {
    const checkout = repo.checkout;
    if (checkout?.type === "commit") {
      await git(["clone", "--quiet", "--no-checkout", "--", repo.url, hostDir], "clone");
      await checkoutCommit(git, hostDir, checkout.sha);
    } else if (checkout?.type === "branch") {
      // `--branch=` keeps a name that starts with "-" from being read as an option
      await git(["clone", "--quiet", `--branch=${checkout.name}`, "--", repo.url, hostDir], "clone");
    } else {
      await git(["clone", "--quiet", "--", repo.url, hostDir], "clone");
    }
    if (options.owner) await chownTree(hostDir, options.owner);
  } catch (error) {
    await fs.rm(hostDir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

/**
 * A commit the clone already has is checked out directly; one it lacks (not reachable from any
 * branch or tag) is fetched by id first, which servers allow for full ids (GitHub does).
 */
async function checkoutCommit(git: (args: string[], step: "clone" | "checkout") => Promise<void>, dir: string, sha: string): Promise<void> {
  try {
    await git(["-C", dir, "checkout", "--quiet", "--detach", sha, "--"], "checkout");
    return;
  } catch (error) {
    if (!(error instanceof RepositoryError) || error.code !== "repository_checkout_error") throw error;
  }
  await git(["-C", dir, "fetch", "--quiet", "origin", sha], "checkout");
  await git(["-C", dir, "checkout", "--quiet", "--detach", "FETCH_HEAD", "--"], "checkout");
}

/** Gives every file of the tree to `owner`, not following symlinks (a link is re-owned, not its target). */
async function chownTree(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  await fs.lchown(dir, owner.uid, owner.gid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await chownTree(full, owner);
    else await fs.lchown(full, owner.uid, owner.gid);
  }
}
