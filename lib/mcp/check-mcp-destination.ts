import "server-only";
import { lookup } from "node:dns/promises";
import { isPublicAddress } from "@/lib/egress/address-policy";
import { McpError, type TMcpServer } from "./types";

/**
 * MCP servers are called from the harness process, outside any sandbox, so an agent's
 * `mcp_servers` URL must not become a way into the host's own network: a name that resolves to a
 * loopback, private, link-local or metadata address is refused (as the egress proxy refuses it)
 * unless the installation allows private addresses (`EGRESS_ALLOW_PRIVATE_ADDRESSES`).
 *
 * Known gap: the check resolves the name before the SDK connects, so a DNS answer that changes in
 * between (rebinding) is not caught.
 */
export async function checkMcpDestination(server: TMcpServer, options: { allowPrivateAddresses: boolean }): Promise<void> {
  if (options.allowPrivateAddresses) return;
  const url = new URL(server.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    throw new McpError("connection", `MCP server "${server.name}" (${server.url}): its host could not be resolved (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
  }
  if (addresses.length === 0 || addresses.some((address) => !isPublicAddress(address))) {
    throw new McpError(
      "connection",
      `MCP server "${server.name}" (${server.url}) resolves to a loopback or private address, which this installation does not call (EGRESS_ALLOW_PRIVATE_ADDRESSES allows it).`,
    );
  }
}
