import { AppError } from "@/lib/errors";
import {
  configFromJson,
  defaultConfig,
  emptyPackages,
  PACKAGE_MANAGERS,
  withProvider,
  type TEnvironmentConfig,
  type TNetworking,
  type TPackages,
} from "@/lib/sandbox/environment-config";
import { sandboxProviderOf, type TSandboxProviderName } from "@/lib/sandbox/provider-choice";
import type { TConfigParams, TNetworkingParams, TPackagesParams } from "./schemas";

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

/** The sandbox provider an environment's sessions run on (defined by the sandbox layer, which reads it). */
export { sandboxProviderOf };

/** The stored config's shape and reader live with the hands that read it (lib/sandbox/environment-config.ts). */
export { configFromJson, defaultConfig, type TEnvironmentConfig, type TNetworking, type TPackages };
