import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import type { VaultCipher } from "@/lib/vault/cipher";
import { loadCredentialSecrets, type TCredentialWithSecrets } from "@/lib/vault/load-credential-secrets";
import type { TExchangeSettings } from "./exchange-refresh-token";
import { sameMcpServerUrl } from "./match-server-url";
import { hasExpired, refreshIsDue } from "./oauth-token-request";
import { refreshMcpOAuthCredential, type TRefreshResult } from "./refresh-mcp-oauth-credential";
import { McpCredentialError, type McpCredentialSource, type TMcpCredentialQuery } from "./types";

export type TVaultCredentialSettings = Partial<TExchangeSettings> & { log?: Logger; lockWaitMs?: number };

/**
 * The bearer token for an MCP server, from the session's vaults: the first active `mcp_oauth`
 * (its `access_token`) or `static_bearer` (its `token`) credential whose `mcp_server_url` names the
 * server (`sameMcpServerUrl`), in the session's `vault_ids` order, then oldest first. Null when
 * none matches: the server is then called without `Authorization`.
 *
 * An `mcp_oauth` token due for a refresh (refresh-mcp-oauth-credential.ts) is refreshed first.
 * Decisions: when the refresh fails but the old token has not expired yet, the old token is used
 * (with a warning in the log) for the time it has left; an expired token that cannot be refreshed
 * is an `McpCredentialError`, which the session reports as `mcp_authentication_failed_error`
 * instead of sending a token the server will refuse.
 */
export class VaultMcpCredentialSource implements McpCredentialSource {
  constructor(
    private readonly prisma: PrismaClient,
    /** Called only when a session with MCP servers has vaults: a server without vaults needs no key. */
    private readonly cipher: () => VaultCipher,
    private readonly settings: TVaultCredentialSettings = {},
  ) {}

  async accessTokenFor(options: TMcpCredentialQuery): Promise<string | null> {
    const credential = await this.match(options);
    if (!credential) return null;
    if (credential.type === "static_bearer") return credential.secrets.token;
    if (credential.type !== "mcp_oauth") return null;
    const { auth, secrets } = credential;
    const now = this.now();
    if (!refreshIsDue(auth.expires_at, now)) return secrets.access_token;
    if (!auth.refresh) {
      if (!hasExpired(auth.expires_at, now)) return secrets.access_token;
      throw new McpCredentialError(`Its OAuth access token expired at ${auth.expires_at} and the credential (${credential.id}) has no refresh token.`);
    }
    const result = await this.refresh(credential.id, options.signal);
    if (result.status === "current" || result.status === "succeeded") return result.accessToken;
    const reason = failureReason(result);
    if (!hasExpired(auth.expires_at, this.now())) {
      this.settings.log?.warn("MCP OAuth refresh failed; using the access token until it expires", { credentialId: credential.id, reason });
      return secrets.access_token;
    }
    throw new McpCredentialError(`Its OAuth access token expired and could not be refreshed: ${reason} (credential ${credential.id}).`);
  }

  async refreshRejected(options: TMcpCredentialQuery & { rejectedToken: string }): Promise<string | null> {
    const credential = await this.match(options);
    if (credential?.type !== "mcp_oauth" || !credential.auth.refresh) return null;
    const result = await this.refresh(credential.id, options.signal, options.rejectedToken);
    if (result.status === "current" || result.status === "succeeded") return result.accessToken === options.rejectedToken ? null : result.accessToken;
    if (result.status === "gone" || result.status === "no_refresh_token") return null;
    throw new McpCredentialError(`It refused the OAuth access token, and the token could not be refreshed: ${failureReason(result)} (credential ${credential.id}).`);
  }

  private async match(options: TMcpCredentialQuery): Promise<TCredentialWithSecrets | null> {
    if (options.vaultIds.length === 0) return null;
    const credentials = await loadCredentialSecrets(this.prisma, this.cipher(), { teamId: options.teamId, vaultIds: options.vaultIds });
    return (
      credentials.find((c) => (c.type === "mcp_oauth" || c.type === "static_bearer") && sameMcpServerUrl(c.auth.mcp_server_url, options.serverUrl)) ?? null
    );
  }

  private refresh(credentialId: string, signal: AbortSignal | undefined, rejectedAccessToken?: string): Promise<TRefreshResult> {
    const { log: _log, lockWaitMs, ...exchange } = this.settings;
    return refreshMcpOAuthCredential(
      { prisma: this.prisma, cipher: this.cipher(), exchange: { allowPrivateAddresses: false, ...exchange }, lockWaitMs },
      { credentialId, rejectedAccessToken, signal },
    );
  }

  private now(): number {
    return (this.settings.now ?? Date.now)();
  }
}

function failureReason(result: Exclude<TRefreshResult, { status: "current" | "succeeded" }>): string {
  switch (result.status) {
    case "failed":
    case "connect_error":
      return result.reason;
    case "no_refresh_token":
      return "the credential has no refresh token";
    case "gone":
      return "the credential was archived or deleted meanwhile";
  }
}
