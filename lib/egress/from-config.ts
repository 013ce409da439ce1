import "server-only";
import type { TCredentialWithSecrets } from "@/lib/vault/load-credential-secrets";
import type { NetworkPolicy } from "./host-match";
import { createPlaceholder, type EgressCredential } from "./substitution";

/**
 * From the API's objects to the proxy's: an environment's `networking` to a network policy, and a
 * session's vault credentials to placeholder credentials plus the variables the sandbox sees.
 */

/**
 * An environment's `networking` as the egress layer reads it: the shape of `TNetworking`
 * (lib/environments/environment-config.ts), declared here so that egress does not import the
 * environments use-case above it.
 */
export type TNetworkingConfig =
  | { type: "unrestricted" }
  | { type: "limited"; allowed_hosts: readonly string[]; allow_mcp_servers: boolean; allow_package_managers: boolean };

/**
 * The network policy of an environment's networking. `limited` allows `allowed_hosts`, plus the
 * hosts of the agent's MCP servers when `allow_mcp_servers` and the given package registry hosts
 * when `allow_package_managers` (the caller knows which registries it uses). No networking at
 * all (a self-hosted environment, or a caller that wants none) is `none`.
 */
export function policyFromNetworking(
  networking: TNetworkingConfig | null | undefined,
  extra: { mcpServerHosts?: readonly string[]; packageManagerHosts?: readonly string[] } = {},
): NetworkPolicy {
  if (!networking) return { type: "none" };
  if (networking.type === "unrestricted") return { type: "unrestricted" };
  const hosts = [...networking.allowed_hosts];
  if (networking.allow_mcp_servers) hosts.push(...(extra.mcpServerHosts ?? []));
  if (networking.allow_package_managers) hosts.push(...(extra.packageManagerHosts ?? []));
  return { type: "limited", allowedHosts: [...new Set(hosts)] };
}

/**
 * The `environment_variable` credentials among `loaded` (in precedence order, as
 * loadCredentialSecrets returns them): one placeholder each, and the sandbox environment that
 * names them (`SECRET_NAME=placeholder`). When two credentials share a name, the first wins.
 * Placeholders are fresh on every call: give each sandbox its own.
 */
export function egressCredentialsFrom(loaded: readonly TCredentialWithSecrets[]): { credentials: EgressCredential[]; env: Record<string, string> } {
  const credentials: EgressCredential[] = [];
  const env: Record<string, string> = {};
  for (const credential of loaded) {
    if (credential.type !== "environment_variable") continue;
    const name = credential.auth.secret_name;
    if (Object.hasOwn(env, name)) continue;
    const placeholder = createPlaceholder();
    env[name] = placeholder;
    const networking = credential.auth.networking;
    credentials.push({
      id: credential.id,
      placeholder,
      value: credential.secrets.secret_value,
      allowedHosts: networking.type === "unrestricted" ? "any" : networking.allowed_hosts,
      injectIn: { header: credential.auth.injection_location.header, body: credential.auth.injection_location.body },
    });
  }
  return { credentials, env };
}
