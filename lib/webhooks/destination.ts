import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPublicAddress } from "@/lib/egress/address-policy";

/**
 * Which private addresses webhooks may be delivered to (WEBHOOKS_ALLOW_PRIVATE): none (the
 * default), all (`true`), or only the listed IP addresses (`127.0.0.1,::1`: a receiver on this
 * machine, and nothing else of its network).
 */
export type TPrivateAddressPolicy = { all: boolean; addresses: readonly string[] };

export const NO_PRIVATE_ADDRESSES: TPrivateAddressPolicy = { all: false, addresses: [] };

/** Why a webhook URL is refused, as the message of a 400 on `url`, or null when it may be used. */
export async function webhookUrlProblem(value: string, policy: TPrivateAddressPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an absolute http:// or https:// URL";
  if (url.username || url.password) return "must not contain a user name or password";
  return destinationProblem(url, policy);
}

/**
 * Why the URL's host may not be called (it resolves to a loopback, private, link-local or metadata
 * address that the policy does not allow, or it does not resolve), or null. Checked when an
 * endpoint is registered and again before every attempt. Known gap, as for MCP servers: a DNS
 * answer that changes between this check and the connection (rebinding) is not caught.
 */
export async function destinationProblem(url: URL, policy: TPrivateAddressPolicy): Promise<string | null> {
  if (policy.all) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    return `its host could not be resolved (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  const refused = addresses.find((address) => !isPublicAddress(address) && !policy.addresses.includes(address));
  if (addresses.length === 0 || refused !== undefined) {
    return "resolves to a loopback, private or link-local address, which this installation does not deliver to (WEBHOOKS_ALLOW_PRIVATE allows it)";
  }
  return null;
}
