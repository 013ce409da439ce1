import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "@/lib/vault/cipher";
import { loadCredentialSecrets } from "@/lib/vault/load-credential-secrets";
import { sameMcpServerUrl } from "./match-server-url";
import type { McpCredentialSource } from "./types";

/**
 * The bearer token for an MCP server, from the session's vaults: the first active `mcp_oauth`
 * (its `access_token`) or `static_bearer` (its `token`) credential whose `mcp_server_url` names the
 * server (`sameMcpServerUrl`), in the session's `vault_ids` order, then oldest first. Null when
 * none matches: the server is then called without `Authorization`.
 *
 * Out of scope for now: refreshing an expired `mcp_oauth` token (`refresh`); an expired token is
 * sent as it is and the server's 401 is reported as `mcp_authentication_failed_error`.
 */
export class VaultMcpCredentialSource implements McpCredentialSource {
  constructor(
    private readonly prisma: PrismaClient,
    /** Called only when a session with MCP servers has vaults: a server without vaults needs no key. */
    private readonly cipher: () => VaultCipher,
  ) {}

  async accessTokenFor(options: { teamId: string; vaultIds: readonly string[]; serverUrl: string }): Promise<string | null> {
    if (options.vaultIds.length === 0) return null;
    const credentials = await loadCredentialSecrets(this.prisma, this.cipher(), { teamId: options.teamId, vaultIds: options.vaultIds });
    for (const credential of credentials) {
      if (credential.type === "mcp_oauth" && sameMcpServerUrl(credential.auth.mcp_server_url, options.serverUrl)) return credential.secrets.access_token;
      if (credential.type === "static_bearer" && sameMcpServerUrl(credential.auth.mcp_server_url, options.serverUrl)) return credential.secrets.token;
    }
    return null;
  }
}
