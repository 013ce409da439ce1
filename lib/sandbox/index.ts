import "server-only";
export { WORKSPACE_DIR } from "./types";
export type { ExecOptions, ExecResult, ProvisionOptions, Sandbox, SandboxProvider, SandboxResources } from "./types";
export { SandboxError, isSandboxError } from "./errors";
export type { SandboxErrorCode } from "./errors";
export { toSandboxPath, toWorkspaceRelative } from "./paths";
export { CappedOutput, capText } from "./capped-output";
