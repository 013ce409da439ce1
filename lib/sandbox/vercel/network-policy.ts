import "server-only";
import type { NetworkPolicy, NetworkPolicyRule } from "@vercel/sandbox";
import { SandboxError } from "../errors";

/**
 * Headers that Vercel's sandbox firewall sets on outgoing HTTPS requests to `host`, outside the VM:
 * code in the sandbox calls the service without ever holding the credential.
 */
export interface CredentialHeaders {
  /** A domain as the firewall matches it: `api.example.com`, or `*.example.com`. */
  host: string;
  headers: Record<string, string>;
}

const HOST = /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The network policy a sandbox is created with: `base` (the SDK's own form) plus one firewall rule
 * per credential host that sets its headers, and any `extraRules` per host (placeholder rules,
 * which match specific requests and so come first).
 *
 * - allow-all (or omitted): every credential host gets its rules and `"*"` keeps the rest open;
 * - deny-all: only the credential hosts become reachable (injecting a credential for a host the
 *   sandbox cannot reach would be pointless);
 * - an allow list: kept, with the credential hosts added to it. A host that already has rules of
 *   its own is refused: whether a request would reach the header rule would depend on their order.
 */
export function buildNetworkPolicy(
  base: NetworkPolicy | undefined,
  credentialHeaders: readonly CredentialHeaders[] = [],
  extraRules: ReadonlyMap<string, readonly NetworkPolicyRule[]> = new Map(),
): NetworkPolicy | undefined {
  const injected: Record<string, NetworkPolicyRule[]> = {};
  for (const [host, rules] of extraRules) if (rules.length > 0) injected[host] = [...rules];
  for (const [host, headers] of credentialRules(credentialHeaders)) injected[host] = [...(injected[host] ?? []), { transform: [{ headers }] }];
  if (Object.keys(injected).length === 0) return base;
  if (base === undefined || base === "allow-all") return { allow: { ...injected, "*": injected["*"] ?? [] } };
  if (base === "deny-all") return { allow: injected };

  const allow: Record<string, NetworkPolicyRule[]> = {};
  if (Array.isArray(base.allow)) {
    for (const host of base.allow) allow[host] = [];
  } else if (base.allow) {
    for (const [host, hostRules] of Object.entries(base.allow)) allow[host] = [...hostRules];
  }
  for (const [host, hostRules] of Object.entries(injected)) {
    if ((allow[host]?.length ?? 0) > 0) {
      throw new SandboxError(
        "provision_failed",
        `credential headers for ${host} conflict with the network policy's own rules for that host`,
      );
    }
    allow[host] = hostRules;
  }
  return { ...base, allow };
}

/** Validated, one entry per host (headers of repeated hosts merged; a header set twice is refused). */
function credentialRules(credentialHeaders: readonly CredentialHeaders[]): Map<string, Record<string, string>> {
  const byHost = new Map<string, Record<string, string>>();
  for (const { host, headers } of credentialHeaders) {
    if (!HOST.test(host)) throw new SandboxError("provision_failed", `credential headers: ${JSON.stringify(host)} is not a host name`);
    const names = Object.keys(headers);
    if (names.length === 0) throw new SandboxError("provision_failed", `credential headers for ${host}: no headers given`);
    const merged = byHost.get(host.toLowerCase()) ?? {};
    for (const name of names) {
      if (!HEADER_NAME.test(name)) {
        throw new SandboxError("provision_failed", `credential headers for ${host}: ${JSON.stringify(name)} is not a header name`);
      }
      const key = name.toLowerCase();
      if (key in merged) throw new SandboxError("provision_failed", `credential headers for ${host}: ${name} is set twice`);
      merged[key] = headers[name]!;
    }
    byHost.set(host.toLowerCase(), merged);
  }
  return byHost;
}

/**
 * The secret parts of every header value (the value, and its last word: the token of
 * "Bearer <token>"), for checks that no credential reaches the sandbox by another way. Parts
 * shorter than 8 characters are left out: they are not secrets, and would match by accident.
 */
export function credentialHeaderValues(credentialHeaders: readonly CredentialHeaders[] = []): string[] {
  const parts = credentialHeaders.flatMap(({ headers }) =>
    Object.values(headers).flatMap((value) => [value.trim(), value.trim().split(/\s+/).pop() ?? ""]),
  );
  return [...new Set(parts)].filter((part) => part.length >= 8);
}
