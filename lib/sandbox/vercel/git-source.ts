import "server-only";
import { SandboxError } from "../errors";
import { toWorkspaceRelative } from "../paths";
import type { RepositoryCheckout } from "../types";
import { VERCEL_WORKSPACE_DIR } from "./workspace-paths";

/** The `source` of Vercel's create call for a git repository. */
export type VercelGitSource =
  | { type: "git"; url: string; revision?: string; depth?: number }
  | { type: "git"; url: string; username: string; password: string; revision?: string; depth?: number };

export interface GitCheckout {
  source: VercelGitSource;
  /** Runs once in the new VM (see PLACE_CHECKOUT); $1 = mount path relative to the workspace, $2 = clean URL. */
  place: { cmd: string; args: string[] };
}

/**
 * Vercel clones a git `source` into the workspace when it creates the VM: the repository's token
 * goes to Vercel's API (as the clone's password, with GitHub's `x-access-token` user name) and
 * never into the VM's environment or a command. Then PLACE_CHECKOUT moves the clone to its mount
 * path and sets the `origin` remote to the URL without credentials, so no file in the VM holds the
 * token whatever the clone wrote into `.git/config`.
 *
 * Vercel takes one source per VM: a sandbox with more than one repository is refused with a clear
 * `provision_failed` (the local provider clones any number).
 */
export function gitCheckoutOf(repositories: readonly RepositoryCheckout[] | undefined): GitCheckout | undefined {
  if (!repositories || repositories.length === 0) return undefined;
  if (repositories.length > 1) {
    throw new SandboxError(
      "provision_failed",
      `the vercel sandbox provider checks out one repository per sandbox (Vercel clones a single git source); this session has ${repositories.length}`,
    );
  }
  const repository = repositories[0]!;
  const url = cleanHttpsUrl(repository.url);
  let relative: string;
  try {
    relative = toWorkspaceRelative(repository.mountPath);
  } catch (error) {
    throw new SandboxError("provision_failed", `repository mount path: ${(error as Error).message}`);
  }
  const checkout = repository.checkout;
  const revision = checkout === undefined ? undefined : checkout.type === "branch" ? checkout.name : checkout.sha;
  const common = {
    type: "git" as const,
    url,
    ...(revision === undefined ? {} : { revision }),
    // A shallow clone serves a branch or the default head; a commit may be anywhere in history.
    ...(checkout?.type === "commit" ? {} : { depth: 1 }),
  };
  const source: VercelGitSource = repository.token ? { ...common, username: "x-access-token", password: repository.token } : common;
  return { source, place: { cmd: "bash", args: ["-c", PLACE_CHECKOUT, "bash", relative, url] } };
}

/**
 * Moves the clone from the workspace root to its mount path (when that is not the root) and sets
 * `origin` to the clean URL. Runs in the workspace; fails (and so fails the provision) when either
 * step does.
 */
const PLACE_CHECKOUT = [
  "set -e",
  `cd ${VERCEL_WORKSPACE_DIR}`,
  'if [ -n "$1" ]; then',
  '  tmp=".checkout-$$"; mkdir -- "$tmp"',
  '  find . -mindepth 1 -maxdepth 1 ! -name "$tmp" -exec mv -t "$tmp" -- {} +',
  '  mkdir -p -- "$(dirname -- "$1")"; mv -T -- "$tmp" "$1"',
  "fi",
  'if [ -e "${1:-.}/.git" ]; then git -C "${1:-.}" remote set-url origin "$2"; fi',
].join("\n");

/** An https URL with no credentials, query or fragment in it; anything else is refused by its shape, never echoed whole. */
function cleanHttpsUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SandboxError("provision_failed", "repository url: not a URL");
  }
  if (url.protocol !== "https:") throw new SandboxError("provision_failed", `repository url: must be https (got ${url.protocol.replace(/:$/, "")})`);
  if (url.username || url.password) throw new SandboxError("provision_failed", "repository url: must not contain credentials (pass the token separately)");
  if (url.search || url.hash) throw new SandboxError("provision_failed", "repository url: must not have a query or fragment");
  return url.href;
}
