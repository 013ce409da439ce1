import "server-only";
/**
 * Why a repository could not be put into a workspace, with the error names of the Managed Agents
 * API (`repository_*_error`, carried with `repository_url`). The message names the repository URL
 * (which never holds credentials) and never the token: it is safe to show to the model and users.
 */
export type RepositoryErrorCode =
  | "repository_authentication_error"
  | "repository_forbidden_error"
  | "repository_not_found_error"
  | "repository_checkout_error"
  | "repository_clone_error";

export class RepositoryError extends Error {
  override readonly name = "RepositoryError";

  constructor(
    readonly code: RepositoryErrorCode,
    readonly repositoryUrl: string,
    detail: string,
  ) {
    super(`${code}: ${repositoryUrl}: ${detail}`);
  }
}

export function isRepositoryError(error: unknown): error is RepositoryError {
  return error instanceof RepositoryError;
}
