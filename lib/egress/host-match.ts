import "server-only";
import { isIP } from "node:net";

/**
 * Host names as the egress proxy compares them, and the network policy of a sandbox.
 *
 * Every host, whether from a policy, a credential or a request, goes through the same WHATWG URL
 * host parser before it is compared or resolved: lower case, punycode for international names,
 * IPv4 in dotted decimal (so `0x7f.1` and `2130706433` are `127.0.0.1`), IPv6 compressed and
 * without brackets, no trailing dot. What is checked is what is connected to.
 */

export type NetworkPolicy = { type: "none" } | { type: "limited"; allowedHosts: readonly string[] } | { type: "unrestricted" };

/** A host pattern: an exact host, or `*.example.com` (any name below example.com, not example.com itself). */
export type HostPattern = { kind: "exact"; host: string } | { kind: "suffix"; suffix: string };

/** The canonical form of a host name or IP literal, or null when it is not one. */
export function canonicalHost(input: string): string | null {
  let host = input.trim();
  if (host.length === 0 || host.length > 255) return null;
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (isIP(host) === 6) {
    try {
      return new URL(`http://[${host}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  // Only characters a host may have: anything else (`/`, `@`, `:`, `?`, `#`, `%`, spaces) would make the
  // URL parser read a different host than the one written.
  if (!/^[\p{L}\p{N}\p{M}._-]+$/u.test(host)) return null;
  let parsed: string;
  try {
    parsed = new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
  parsed = parsed.replace(/\.$/, "");
  if (parsed.length === 0 || parsed.startsWith(".") || parsed.includes("..")) return null;
  return parsed;
}

/** Parses one pattern; null when it is neither a host nor a `*.` wildcard over one. */
export function parseHostPattern(pattern: string): HostPattern | null {
  const trimmed = pattern.trim();
  if (trimmed.startsWith("*.")) {
    const suffix = canonicalHost(trimmed.slice(2));
    if (!suffix || isIP(suffix) !== 0) return null;
    return { kind: "suffix", suffix };
  }
  const host = canonicalHost(trimmed);
  return host ? { kind: "exact", host } : null;
}

/** Parses patterns, throwing on the first one that is not valid (it names the pattern: patterns are not secret). */
export function parseHostPatterns(patterns: readonly string[]): HostPattern[] {
  return patterns.map((pattern) => {
    const parsed = parseHostPattern(pattern);
    if (!parsed) throw new Error(`not a host pattern: ${JSON.stringify(pattern.slice(0, 300))}`);
    return parsed;
  });
}

/** Whether a canonical host matches one of the patterns. */
export function hostMatches(host: string, patterns: readonly HostPattern[]): boolean {
  return patterns.some((p) => (p.kind === "exact" ? host === p.host : host.endsWith(`.${p.suffix}`)));
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: "network_disabled" | "host_not_allowed" };

/** A network policy with its patterns parsed once. */
export class CompiledPolicy {
  readonly type: NetworkPolicy["type"];
  private readonly patterns: readonly HostPattern[];

  constructor(policy: NetworkPolicy) {
    this.type = policy.type;
    this.patterns = policy.type === "limited" ? parseHostPatterns(policy.allowedHosts) : [];
  }

  decide(host: string): PolicyDecision {
    switch (this.type) {
      case "none":
        return { allowed: false, reason: "network_disabled" };
      case "unrestricted":
        return { allowed: true };
      case "limited":
        return hostMatches(host, this.patterns) ? { allowed: true } : { allowed: false, reason: "host_not_allowed" };
    }
  }
}

/**
 * The host and port of an authority (`host:port`, `[v6]:port`, or a bare host with `defaultPort`),
 * canonical; null when it is anything else (user info, path, bad port).
 */
export function parseAuthority(authority: string, defaultPort?: number): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority.trim());
  if (!match) return null;
  const host = canonicalHost(match[1]!);
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!host || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

/** `host:port` for a Host header or a log line (IPv6 in brackets). */
export function formatAuthority(host: string, port: number, defaultPort?: number): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === defaultPort ? h : `${h}:${port}`;
}
