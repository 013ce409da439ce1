import type { TSandboxProviderName } from "./provider-choice";

/**
 * An environment's config as the hands read it: which provider, what network, which packages.
 * The environments use-case (lib/environments) validates, resolves and stores it; the harness and
 * the providers read a stored one with `configFromJson`, so they need nothing from above.
 */
export const PACKAGE_MANAGERS = ["apt", "cargo", "gem", "go", "npm", "pip"] as const;

/**
 * An environment's config in the response shape (reference §2.2), with every default filled in:
 * `{type: "cloud", networking: {type: "unrestricted"}, packages: {type: "packages", apt: [], …}}`
 * when nothing is given, or `{type: "self_hosted"}`.
 */
export type TPackages = { type: "packages" } & Record<(typeof PACKAGE_MANAGERS)[number], string[]>;
export type TNetworking = { type: "unrestricted" } | { type: "limited"; allowed_hosts: string[]; allow_mcp_servers: boolean; allow_package_managers: boolean };
/**
 * `sandbox_provider` is a platform extension: which sandbox provider runs the sessions. It is
 * absent for the default, `local`, so configs that do not choose stay exactly the API's shape.
 */
export type TEnvironmentConfig = { type: "cloud"; networking: TNetworking; packages: TPackages; sandbox_provider?: TSandboxProviderName } | { type: "self_hosted" };

export const emptyPackages = (): TPackages => ({ type: "packages", apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] });
export const defaultConfig = (): TEnvironmentConfig => ({ type: "cloud", networking: { type: "unrestricted" }, packages: emptyPackages() });

/** The extension field in its normal form: omitted for the default provider. */
export function withProvider(provider: TSandboxProviderName | undefined): { sandbox_provider?: TSandboxProviderName } {
  return provider === undefined || provider === "local" ? {} : { sandbox_provider: provider };
}

/** Reads a stored config, filling in defaults for anything missing. */
export function configFromJson(value: unknown): TEnvironmentConfig {
  const stored = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  if (stored.type === "self_hosted") return { type: "self_hosted" };
  const base = defaultConfig() as Extract<TEnvironmentConfig, { type: "cloud" }>;
  const networking = stored.networking as Partial<Extract<TNetworking, { type: "limited" }>> | undefined;
  const packages = (stored.packages ?? {}) as Partial<Record<string, unknown>>;
  for (const manager of PACKAGE_MANAGERS) {
    const list = packages[manager];
    if (Array.isArray(list)) base.packages[manager] = list.filter((p): p is string => typeof p === "string");
  }
  if (networking?.type === "limited") {
    base.networking = {
      type: "limited",
      allowed_hosts: Array.isArray(networking.allowed_hosts) ? networking.allowed_hosts : [],
      allow_mcp_servers: networking.allow_mcp_servers === true,
      allow_package_managers: networking.allow_package_managers === true,
    };
  }
  if (stored.sandbox_provider === "vercel") return { ...base, ...withProvider("vercel") };
  return base;
}
