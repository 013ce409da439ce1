import { AppError } from "@/lib/errors";
import { sandboxProviderOf } from "@/lib/sandbox/provider-choice";
import { PACKAGE_MANAGERS, type TConfigParams, type TNetworkingParams, type TPackagesParams, type TSandboxProviderName } from "./schemas";

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

const emptyPackages = (): TPackages => ({ type: "packages", apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] });
export const defaultConfig = (): TEnvironmentConfig => ({ type: "cloud", networking: { type: "unrestricted" }, packages: emptyPackages() });

/** Networking from params; with the same type as `base`, omitted fields keep base's values. */
function networkingFrom(params: TNetworkingParams, base: TNetworking): TNetworking {
  if (params.type === "unrestricted") return { type: "unrestricted" };
  const kept = base.type === "limited" ? base : { allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false };
  return {
    type: "limited",
    allowed_hosts: params.allowed_hosts === undefined ? kept.allowed_hosts : (params.allowed_hosts ?? []),
    allow_mcp_servers: params.allow_mcp_servers === undefined ? kept.allow_mcp_servers : (params.allow_mcp_servers ?? false),
    allow_package_managers: params.allow_package_managers === undefined ? kept.allow_package_managers : (params.allow_package_managers ?? false),
  };
}

/** Packages from params: an omitted list keeps base's, a null one is emptied. */
function packagesFrom(params: TPackagesParams, base: TPackages): TPackages {
  const out = emptyPackages();
  for (const manager of PACKAGE_MANAGERS) out[manager] = params[manager] === undefined ? base[manager] : (params[manager] ?? []);
  return out;
}

/**
 * The config after applying `params` to the stored config (on update) or to the defaults (on
 * create). Omitted fields keep their values, null ones take their default. The config type cannot
 * change: that is a 400 with `error_code: invalid_config_type_change`.
 */
export function resolveConfig(params: TConfigParams | null | undefined, stored?: TEnvironmentConfig): TEnvironmentConfig {
  if (params == null) return stored ?? defaultConfig();
  const base = stored ?? (params.type === "self_hosted" ? { type: "self_hosted" as const } : defaultConfig());
  if (params.type !== base.type) {
    throw new AppError("invalid_request", `config.type: an environment's config type cannot change (it is ${base.type}, not ${params.type})`, {
      errorCode: "invalid_config_type_change",
      path: "config.type",
    });
  }
  if (params.type === "self_hosted" || base.type === "self_hosted") return { type: "self_hosted" };
  const networking = params.networking === undefined ? base.networking : params.networking === null ? { type: "unrestricted" as const } : networkingFrom(params.networking, base.networking);
  const packages = params.packages === undefined ? base.packages : params.packages === null ? emptyPackages() : packagesFrom(params.packages, base.packages);
  if (networking.type === "limited" && !networking.allow_package_managers && PACKAGE_MANAGERS.some((m) => packages[m].length > 0)) {
    throw new AppError("invalid_request", "config.packages: installing packages with limited networking needs networking.allow_package_managers: true", {
      path: "config.packages",
    });
  }
  const provider = params.sandbox_provider === undefined ? base.sandbox_provider : (params.sandbox_provider ?? undefined);
  return { type: "cloud", networking, packages, ...withProvider(provider) };
}

/** The extension field in its normal form: omitted for the default provider. */
function withProvider(provider: TSandboxProviderName | undefined): { sandbox_provider?: TSandboxProviderName } {
  return provider === undefined || provider === "local" ? {} : { sandbox_provider: provider };
}

/** The sandbox provider an environment's sessions run on (defined by the sandbox layer, which reads it). */
export { sandboxProviderOf };

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
