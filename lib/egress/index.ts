import "server-only";
/**
 * Egress: the sandbox's only way out, outside the sandbox. How it is wired:
 * - the harness plans each session's sandbox (lib/harness/provision-context.ts): the environment's
 *   networking → `policyFromNetworking` (plus the agent's MCP server hosts and the package registries
 *   when the environment allows them), the session's vaults → `loadCredentialSecrets` →
 *   `egressCredentialsFrom` (placeholders for the sandbox's environment, values for the proxy), and
 *   every secret value for `createRedactor`, applied to tool output before it is stored;
 * - the local provider (lib/sandbox/local/sandbox-egress.ts), for a `limited` or `unrestricted`
 *   policy: `createSandboxNetwork` + `startEgressProxy` per sandbox, commands wrapped with
 *   `wrapArgv`, the installation CA (`<DATA_DIR>/egress-ca`) trusted through the sandbox's
 *   /etc/ssl/certs and the CA variables; proxy and namespace torn down with the sandbox;
 *   `removeStaleSandboxNetworks()` (namespaces of owners that are gone) when a provider starts and
 *   every minute after. `none`: no namespace, no proxy, only `lo`.
 * - not root: no namespaces, so sandboxes get no network whatever the policy (logged once).
 * Known gaps: Node 20's fetch ignores HTTP_PROXY (curl, git, pip, npm honour it); no WebSocket
 * upgrades through intercepted TLS; request bodies to credential hosts buffered up to 10 MiB.
 */
export { isPublicAddress } from "./address-policy";
export type { EgressObserver, TEgressOutcome, TEgressRequest } from "./egress-observer";
export { loadOrCreateEgressCa, type EgressCa, type EgressCaOptions } from "./egress-ca";
export {
  startEgressProxy,
  type EgressProxy,
  type EgressProxyOptions,
  type EgressResolver,
  type EgressStats,
  type ResolvedAddress,
} from "./egress-proxy";
export { egressCredentialsFrom, policyFromNetworking } from "./from-config";
export { canonicalHost, CompiledPolicy, hostMatches, parseHostPattern, parseHostPatterns, type HostPattern, type NetworkPolicy } from "./host-match";
export { compileCredentials, createPlaceholder, credentialsForHost, type EgressCredential } from "./substitution";
