import "server-only";
import { randomBytes } from "node:crypto";
import { hostMatches, parseHostPatterns, type HostPattern } from "./host-match";

/**
 * Placeholder substitution for `environment_variable` credentials: the sandbox holds only a
 * placeholder; on the way out, the proxy swaps in the real value, and only in requests to the
 * credential's allowed hosts. Everywhere else the placeholder passes unchanged, so the secret never
 * travels towards a host it is not meant for.
 */
export interface EgressCredential {
  /** For log lines (a credential id); never the value. */
  id?: string;
  /** What the sandbox sees instead of the value. At least 16 characters of [A-Za-z0-9_-]. */
  placeholder: string;
  value: string;
  /** Host patterns (see host-match) the value may be sent to, or "any" for any host the network policy allows. */
  allowedHosts: readonly string[] | "any";
  injectIn: { header: boolean; body: boolean };
}

export interface CompiledCredential {
  id: string;
  placeholder: string;
  value: string;
  /** The value's UTF-8 bytes as a latin1 string: how it is written into a header or a byte body. */
  valueBytes: string;
  /** Whether the value can go into a header (no line breaks or other control characters). */
  headerSafe: boolean;
  patterns: readonly HostPattern[] | "any";
  header: boolean;
  body: boolean;
}

const PLACEHOLDER = /^[A-Za-z0-9_-]{16,256}$/;

/** A fresh placeholder for a credential; random, so it cannot occur in a request by accident. */
export function createPlaceholder(): string {
  return `oma_egress_${randomBytes(16).toString("hex")}`;
}

/**
 * Checks and prepares credentials. Placeholders must be well-formed and no placeholder may contain
 * another (that would make substitution order matter); messages name ids, never values.
 */
export function compileCredentials(credentials: readonly EgressCredential[]): CompiledCredential[] {
  const compiled = credentials.map((c, index): CompiledCredential => {
    const id = c.id ?? `credential#${index}`;
    if (!PLACEHOLDER.test(c.placeholder)) throw new Error(`${id}: a placeholder must be 16 to 256 characters of A-Z a-z 0-9 _ -`);
    if (c.value.length === 0) throw new Error(`${id}: empty value`);
    if (c.value.includes(c.placeholder)) throw new Error(`${id}: the value contains its own placeholder`);
    return {
      id,
      placeholder: c.placeholder,
      value: c.value,
      valueBytes: Buffer.from(c.value, "utf8").toString("latin1"),
      headerSafe: !/[\x00-\x08\x0a-\x1f\x7f]/.test(c.value),
      patterns: c.allowedHosts === "any" ? "any" : parseHostPatterns(c.allowedHosts),
      header: c.injectIn.header,
      body: c.injectIn.body,
    };
  });
  for (const a of compiled) {
    for (const b of compiled) {
      if (a !== b && a.placeholder.includes(b.placeholder)) throw new Error(`${a.id}: its placeholder contains the placeholder of ${b.id}`);
    }
  }
  return compiled;
}

/** The credentials whose value may be sent to `host` (canonical). */
export function credentialsForHost(credentials: readonly CompiledCredential[], host: string): CompiledCredential[] {
  return credentials.filter((c) => c.patterns === "any" || hostMatches(host, c.patterns));
}

export class HeaderNotSafeError extends Error {
  constructor(readonly credentialId: string) {
    super(`credential ${credentialId} has a value that cannot be sent in a header`);
    this.name = "HeaderNotSafeError";
  }
}

/**
 * Replaces placeholders in one header value (a latin1 string, as Node gives it). Also inside
 * `Basic` credentials of an Authorization header, which carry `user:password` in base64. Returns
 * the new value and which credentials were applied.
 */
export function substituteHeaderValue(
  name: string,
  value: string,
  credentials: readonly CompiledCredential[],
): { value: string; applied: CompiledCredential[] } {
  const applied = new Set<CompiledCredential>();
  const replace = (text: string): string => {
    let out = text;
    for (const c of credentials) {
      if (!c.header || !out.includes(c.placeholder)) continue;
      if (!c.headerSafe) throw new HeaderNotSafeError(c.id);
      out = out.split(c.placeholder).join(c.valueBytes);
      applied.add(c);
    }
    return out;
  };
  let result = replace(value);
  if (/^(proxy-)?authorization$/i.test(name)) {
    const basic = /^(\s*Basic\s+)([A-Za-z0-9+/=_-]+)(\s*)$/i.exec(result);
    if (basic) {
      const decoded = Buffer.from(basic[2]!, "base64").toString("latin1");
      const replaced = replace(decoded);
      if (replaced !== decoded) result = basic[1]! + Buffer.from(replaced, "latin1").toString("base64") + basic[3]!;
    }
  }
  return { value: result, applied: [...applied] };
}

/** Replaces placeholders in a request body (raw bytes). */
export function substituteBody(body: Buffer, credentials: readonly CompiledCredential[]): { body: Buffer; applied: CompiledCredential[] } {
  let text = body.toString("latin1");
  const applied: CompiledCredential[] = [];
  for (const c of credentials) {
    if (!c.body || !text.includes(c.placeholder)) continue;
    text = text.split(c.placeholder).join(c.valueBytes);
    applied.push(c);
  }
  return applied.length > 0 ? { body: Buffer.from(text, "latin1"), applied } : { body, applied };
}
