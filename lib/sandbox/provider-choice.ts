/**
 * Which sandbox provider runs an environment's sessions: a platform extension of the environment
 * config (`sandbox_provider`, not in the Managed Agents API), absent or null for `local`. The
 * environments use-case validates and stores the choice; the providers only read it, through the
 * narrow shape below, so the sandbox layer does not import the environments above it.
 */
export const SANDBOX_PROVIDERS = ["local", "vercel"] as const;
export type TSandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

/** What the providers read of an environment's config (`TEnvironmentConfig` has this shape). */
export type TSandboxProviderChoice = { type: "cloud"; sandbox_provider?: TSandboxProviderName } | { type: "self_hosted" };

/** The sandbox provider an environment's sessions run on: `local` unless a cloud config chose another. */
export function sandboxProviderOf(config: TSandboxProviderChoice | null | undefined): TSandboxProviderName {
  return config?.type === "cloud" ? (config.sandbox_provider ?? "local") : "local";
}
