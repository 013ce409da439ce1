import "server-only";
import { isIP } from "node:net";
import type { NetworkPolicy as VercelNetworkPolicy, NetworkPolicyRule } from "@vercel/sandbox";
import { canonicalHost, hostMatches, parseHostPattern, parseHostPatterns, type HostPattern, type NetworkPolicy } from "@/lib/egress/host-match";
import type { EgressCredential } from "@/lib/egress/substitution";
import type { Logger } from "@/lib/log";
import { SandboxError } from "../errors";

/**
 * A provision's network policy and credentials in the terms of Vercel's sandbox firewall, which
 * enforces both outside the VM.
 *
 * - `none` → "deny-all"; `unrestricted` → "allow-all"; `limited` → an allow list of its host
 *   patterns (IP literals go to `subnets.allow` as /32 or /128).
 * - Credentials: the firewall cannot replace a placeholder inside a request the way the local
 *   provider's egress proxy does; it can match a request and set a header. So each
 *   `environment_variable` credential with header injection becomes, for each of its allowed hosts
 *   the network policy reaches, rules that recognise its placeholder in the headers that carry API
 *   credentials by convention (see HEADER_FORMS) and set that header to the real value. Body
 *   injection, other headers and Basic auth are not available on vercel: the placeholder then
 *   leaves unchanged, and the value never travels.
 */

/** Where a placeholder is recognised, and what the header becomes: `prefix + value`. */
const HEADER_FORMS: ReadonlyArray<{ header: string; scheme?: string; prefix: string }> = [
  { header: "authorization", scheme: "(?i:bearer)\\s+", prefix: "Bearer " },
  { header: "authorization", scheme: "(?i:token)\\s+", prefix: "token " },
  { header: "authorization", prefix: "" },
  { header: "x-api-key", prefix: "" },
  { header: "api-key", prefix: "" },
  { header: "x-auth-token", prefix: "" },
  { header: "private-token", prefix: "" },
];

/** The firewall's form of an egress network policy. */
export function vercelNetworkPolicy(network: NetworkPolicy): VercelNetworkPolicy {
  if (network.type === "none") return "deny-all";
  if (network.type === "unrestricted") return "allow-all";
  const allow: string[] = [];
  const subnets: string[] = [];
  for (const pattern of patternsOf(network.allowedHosts)) {
    if (pattern.kind === "suffix") allow.push(`*.${pattern.suffix}`);
    else if (isIP(pattern.host) === 4) subnets.push(`${pattern.host}/32`);
    else if (isIP(pattern.host) === 6) subnets.push(`${pattern.host}/128`);
    else allow.push(pattern.host);
  }
  return { allow: [...new Set(allow)], ...(subnets.length > 0 ? { subnets: { allow: subnets } } : {}) };
}

/**
 * Firewall rules, per host, that put each credential's value in place of its placeholder. Only
 * hosts the network policy already reaches get rules, so a credential never opens a host.
 */
export function placeholderRules(
  credentials: readonly EgressCredential[],
  network: NetworkPolicy,
  logger?: Logger,
): Map<string, NetworkPolicyRule[]> {
  const byHost = new Map<string, NetworkPolicyRule[]>();
  for (const [index, credential] of credentials.entries()) {
    const id = credential.id ?? `credential#${index}`;
    if (!/^[A-Za-z0-9_-]{16,256}$/.test(credential.placeholder)) {
      throw new SandboxError("provision_failed", `${id}: a placeholder must be 16 to 256 characters of A-Z a-z 0-9 _ -`);
    }
    if (!credential.injectIn.header || /[\x00-\x08\x0a-\x1f\x7f]/.test(credential.value)) {
      logger?.warn("vercel sandbox: credential not injected (the firewall sets headers only)", { credentialId: id });
      continue;
    }
    for (const host of reachableHosts(credential.allowedHosts, network)) {
      const rules = byHost.get(host) ?? [];
      for (const form of HEADER_FORMS) {
        const value = form.scheme ? { regex: `^${form.scheme}${credential.placeholder}$` } : { exact: credential.placeholder };
        rules.push({ match: { headers: [{ key: { exact: form.header }, value }] }, transform: [{ headers: { [form.header]: form.prefix + credential.value } }] });
      }
      byHost.set(host, rules);
    }
  }
  return byHost;
}

/** The hosts (firewall domain patterns) of a credential that the network policy lets the sandbox reach. */
function reachableHosts(allowedHosts: EgressCredential["allowedHosts"], network: NetworkPolicy): string[] {
  if (network.type === "none") return [];
  if (allowedHosts === "any") return network.type === "unrestricted" ? ["*"] : domainsOf(network.allowedHosts);
  const domains = domainsOf(allowedHosts);
  if (network.type === "unrestricted") return domains;
  const open = new Set(domainsOf(network.allowedHosts));
  const patterns = patternsOf(network.allowedHosts);
  return domains.filter((domain) => open.has(domain) || (!domain.startsWith("*.") && hostMatches(domain, patterns)));
}

function patternsOf(hosts: readonly string[]): HostPattern[] {
  try {
    return parseHostPatterns(hosts);
  } catch (error) {
    throw new SandboxError("provision_failed", `network policy: ${(error as Error).message}`);
  }
}

/** Canonical host names and `*.` patterns, without IP literals (the firewall's rules are per domain). */
function domainsOf(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of patterns) {
    const pattern = parseHostPattern(raw);
    if (!pattern) throw new SandboxError("provision_failed", `not a host pattern: ${JSON.stringify(raw.slice(0, 300))}`);
    if (pattern.kind === "suffix") out.add(`*.${pattern.suffix}`);
    else if (isIP(pattern.host) === 0 && canonicalHost(pattern.host)) out.add(pattern.host);
  }
  return [...out];
}
