import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "@/lib/vault/cipher";
import { openSecrets, sealSecrets } from "@/lib/vault/credential-secrets";
import { publicAuthOf } from "@/lib/vault/credential-to-wire";
import { withLockedCredential } from "@/lib/vault/with-locked-credential";
import { DEFAULT_TOKEN_REQUEST_TIMEOUT_MS, exchangeRefreshToken, type TExchangeOutcome, type TExchangeSettings } from "./exchange-refresh-token";
import { refreshIsDue } from "./oauth-token-request";

/** Longest a refresh waits for another process's refresh of the same credential. */
export const REFRESH_LOCK_WAIT_MS = 15_000;

export type TRefreshDeps = {
  prisma: PrismaClient;
  cipher: VaultCipher;
  exchange: TExchangeSettings;
  lockWaitMs?: number;
};

/**
 * `current`: no refresh was needed once the lock was held (not due, or another process had just
 * refreshed: its token is returned); `succeeded`: this call refreshed and stored the new tokens;
 * `no_refresh_token`: the credential has no refresh configuration; `gone`: it was archived,
 * deleted or is not an `mcp_oauth` credential; `failed` / `connect_error`: see TExchangeOutcome.
 */
export type TRefreshResult =
  | { status: "current"; accessToken: string; expiresAt: string | null }
  | { status: "succeeded"; accessToken: string; expiresAt: string | null }
  | { status: "no_refresh_token" }
  | { status: "gone" }
  | Exclude<TExchangeOutcome, { status: "succeeded" }>;

/**
 * Refreshes an `mcp_oauth` credential's access token with its refresh token, once across every
 * process: the credential row is locked for the exchange, and re-read once the lock is held, so a
 * process that waited uses what the first one stored instead of spending the refresh token again
 * (with rotating refresh tokens a second exchange would fail, or revoke the grant).
 *
 * Without `rejectedAccessToken` a refresh happens when the stored token is due
 * (`refreshIsDue`); with it (an MCP server refused that token), when the stored token is still
 * that one. The new access token, the new refresh token (kept when the endpoint sends none) and
 * the new `expires_at` are sealed under the vault's current key like any update of the
 * credential; nothing is written when the exchange fails.
 *
 * Decision: the lock is held during the HTTP exchange, which is bounded (DEFAULT_TOKEN_REQUEST_TIMEOUT_MS).
 * On the embedded PGlite, whose one connection the transaction holds, other queries wait for that
 * exchange: the price of a single code path that is also correct with several processes.
 */
export async function refreshMcpOAuthCredential(
  deps: TRefreshDeps,
  options: { credentialId: string; rejectedAccessToken?: string; signal?: AbortSignal },
): Promise<TRefreshResult> {
  const lockWaitMs = deps.lockWaitMs ?? REFRESH_LOCK_WAIT_MS;
  const timeoutMs = lockWaitMs + (deps.exchange.timeoutMs ?? DEFAULT_TOKEN_REQUEST_TIMEOUT_MS) + 5_000;
  const now = deps.exchange.now ?? Date.now;
  return withLockedCredential(deps.prisma, { credentialId: options.credentialId, lockWaitMs, timeoutMs }, async (tx, row): Promise<TRefreshResult> => {
    if (!row || row.archivedAt || row.authType !== "mcp_oauth") return { status: "gone" };
    const auth = publicAuthOf(row);
    const secrets = openSecrets(deps.cipher, row);
    if (auth.type !== "mcp_oauth" || !("access_token" in secrets)) return { status: "gone" };

    const due = options.rejectedAccessToken !== undefined ? secrets.access_token === options.rejectedAccessToken : refreshIsDue(auth.expires_at, now());
    if (!due) return { status: "current", accessToken: secrets.access_token, expiresAt: auth.expires_at };
    if (!auth.refresh || !secrets.refresh_token) return { status: "no_refresh_token" };

    const outcome = await exchangeRefreshToken(
      {
        tokenEndpoint: auth.refresh.token_endpoint,
        clientId: auth.refresh.client_id,
        authType: auth.refresh.token_endpoint_auth.type,
        clientSecret: secrets.client_secret,
        refreshToken: secrets.refresh_token,
        scope: auth.refresh.scope,
        resource: auth.refresh.resource,
      },
      deps.exchange,
      options.signal,
    );
    if (outcome.status !== "succeeded") return outcome;

    const { tokens } = outcome;
    const newSecrets = { ...secrets, access_token: tokens.accessToken, refresh_token: tokens.refreshToken ?? secrets.refresh_token };
    await tx.credential.update({
      where: { id: row.id },
      data: { auth: { ...auth, expires_at: tokens.expiresAt }, ...sealSecrets(deps.cipher, row.id, newSecrets) },
    });
    return { status: "succeeded", accessToken: tokens.accessToken, expiresAt: tokens.expiresAt };
  });
}
