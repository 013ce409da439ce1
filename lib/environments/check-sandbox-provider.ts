import { getEnv, vercelCredentialsOf, type TEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sandboxProviderOf, type TEnvironmentConfig } from "./environment-config";
import type { TSandboxProviderName } from "./schemas";

/**
 * The sandbox providers this installation can run: `local` always, `vercel` when the environment
 * holds Vercel credentials (VERCEL_OIDC_TOKEN, or VERCEL_TOKEN + VERCEL_TEAM_ID + VERCEL_PROJECT_ID).
 */
export function configuredSandboxProviders(env: TEnv = getEnv()): TSandboxProviderName[] {
  return vercelCredentialsOf(env) ? ["local", "vercel"] : ["local"];
}

/**
 * Choosing a provider the installation cannot run is refused when it is chosen (a 400 naming
 * `config.sandbox_provider`), not at the session's first tool call. An environment that keeps the
 * provider it already had is not refused, so it stays editable if the credentials go away; its
 * sessions then fail to provision with a message saying why.
 */
export function checkSandboxProvider(
  config: TEnvironmentConfig,
  previous: TEnvironmentConfig | undefined,
  available: readonly TSandboxProviderName[],
): void {
  const chosen = sandboxProviderOf(config);
  if (available.includes(chosen) || (previous !== undefined && sandboxProviderOf(previous) === chosen)) return;
  throw new AppError(
    "invalid_request",
    `config.sandbox_provider: the ${chosen} sandbox provider is not configured on this server (it needs VERCEL_OIDC_TOKEN, or VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID)`,
    { path: "config.sandbox_provider", errorCode: "sandbox_provider_unavailable" },
  );
}
