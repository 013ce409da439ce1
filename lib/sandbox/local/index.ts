import "server-only";
export { DEFAULT_LOCAL_LIMITS, LocalSandboxProvider } from "./local-sandbox-provider";
export type { LocalSandboxLimits, LocalSandboxProviderOptions } from "./local-sandbox-provider";
export { LocalSandbox } from "./local-sandbox";
export type { LocalEgressOptions } from "./sandbox-egress";
