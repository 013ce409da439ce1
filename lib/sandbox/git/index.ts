import "server-only";
export { cloneRepository, DEFAULT_CLONE_TIMEOUT_MS, type TCloneOptions } from "./clone-repository";
export { cloneRepositories } from "./clone-repositories";
export { isRepositoryError, RepositoryError, type RepositoryErrorCode } from "./repository-error";
export { mountPathsOverlap, repositoryMountPath } from "./repository-mount-path";
export { checkRepositoryUrl } from "./repository-url";
