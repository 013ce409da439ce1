import "server-only";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "@/lib/vault/cipher";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { publicAuthOf } from "@/lib/vault/credential-to-wire";
import { findTeamCredential } from "@/lib/vault/find-team-credential";
import { assertVaultNotArchived } from "@/lib/vault/find-team-vault";
import type { TExchangeSettings } from "./exchange-refresh-token";
import { captureHttpResponse, refreshIsDue, type THttpResponseCapture } from "./oauth-token-request";
import { refreshMcpOAuthCredential, type TRefreshResult } from "./refresh-mcp-oauth-credential";
import { DEFAULT_MCP_CONNECT_TIMEOUT_MS, McpError, type McpConnector, type TMcpFailedStep } from "./types";

/** The API's CredentialValidation (reference §2.8, the SDK's BetaManagedAgentsCredentialValidation). */
export type TCredentialValidation = {
  type: "vault_credential_validation";
  credential_id: string;
  vault_id: string;
  status: "valid" | "invalid" | "unknown";
  has_refresh_token: boolean;
  validated_at: string;
  mcp_probe: { method: string; http_response: THttpResponseCapture | null } | null;
  refresh: { status: "succeeded" | "failed" | "connect_error" | "no_refresh_token"; http_response: THttpResponseCapture | null } | null;
};

export type TValidateDeps = { prisma: PrismaClient; cipher: VaultCipher; connector: McpConnector; exchange: TExchangeSettings; probeTimeoutMs?: number };

type TProbe = { ok: true } | { ok: false; kind: McpError["kind"]; step: TMcpFailedStep };

/**
 * `POST /v1/vaults/{id}/credentials/{id}/mcp_oauth_validate`: checks an `mcp_oauth` credential now,
 * as a session would use it. A token due for a refresh is refreshed first (and stored, like a
 * session's refresh); then the MCP server is probed with it (`initialize`, then `tools/list`).
 * When the server refuses the token and the credential can refresh, it is refreshed and probed
 * once more.
 *
 * Verdict: `valid` — the last probe was accepted; `invalid` — the server refused the token and no
 * refresh recovered it (none configured, or the token endpoint refused); `unknown` — the server or
 * the token endpoint could not be reached. `mcp_probe` describes the last probe when it failed;
 * `refresh` the last refresh attempted. HTTP bodies shown are scrubbed of the credential's secrets.
 * 404 like the other credential endpoints; 400 for an archived credential or vault and for a
 * credential of another type.
 */
export async function validateMcpOAuthCredential(deps: TValidateDeps, options: { teamId: string; vaultId: string; credentialId: string }): Promise<TCredentialValidation> {
  const { vault, credential: row } = await findTeamCredential(deps.prisma, options);
  assertVaultNotArchived(vault);
  if (row.archivedAt) throw new AppError("invalid_request", `credential ${row.id} is archived`, { errorCode: "credential_archived" });
  const auth = publicAuthOf(row);
  if (auth.type !== "mcp_oauth") throw new AppError("invalid_request", `credential ${row.id} is a ${auth.type} credential; only mcp_oauth credentials can be validated`);
  const secrets = openSecrets(deps.cipher, row);
  if (!("access_token" in secrets)) throw new Error(`credential ${row.id}: its secrets are not those of an mcp_oauth credential`);

  const scrub = [secrets.access_token, secrets.refresh_token, secrets.client_secret].filter((s): s is string => !!s);
  const hasRefreshToken = !!auth.refresh && !!secrets.refresh_token;
  const now = deps.exchange.now ?? Date.now;
  let refresh: TCredentialValidation["refresh"] = null;
  let refreshFailed: TRefreshResult["status"] | null = null;
  let token = secrets.access_token;

  const runRefresh = async (rejectedAccessToken?: string): Promise<boolean> => {
    const result = await refreshMcpOAuthCredential({ prisma: deps.prisma, cipher: deps.cipher, exchange: deps.exchange }, { credentialId: row.id, rejectedAccessToken });
    if (result.status === "current" || result.status === "succeeded") {
      scrub.push(result.accessToken);
      // `current`: another process had refreshed it meanwhile; this call exchanged nothing
      if (result.status === "succeeded") refresh = { status: "succeeded", http_response: null };
      const changed = result.accessToken !== token;
      token = result.accessToken;
      return changed;
    }
    refreshFailed = result.status;
    refresh =
      result.status === "failed"
        ? { status: "failed", http_response: result.httpResponse }
        : result.status === "connect_error"
          ? { status: "connect_error", http_response: null }
          : { status: "no_refresh_token", http_response: null };
    return false;
  };

  const due = refreshIsDue(auth.expires_at, now());
  if (due && hasRefreshToken) await runRefresh();
  let probe = await probeServer(deps, auth.mcp_server_url, token);
  if (!probe.ok && probe.kind === "authentication") {
    if (!hasRefreshToken) refresh = { status: "no_refresh_token", http_response: null };
    else if (refresh === null && (await runRefresh(token))) probe = await probeServer(deps, auth.mcp_server_url, token);
  }

  const status: TCredentialValidation["status"] = probe.ok
    ? "valid"
    : probe.kind === "connection" || refreshFailed === "connect_error"
      ? "unknown"
      : "invalid";
  return {
    type: "vault_credential_validation",
    credential_id: row.id,
    vault_id: row.vaultId,
    status,
    has_refresh_token: hasRefreshToken,
    validated_at: new Date(now()).toISOString(),
    mcp_probe: probe.ok
      ? null
      : { method: probe.step.method, http_response: probe.step.httpResponse && captureHttpResponse(probe.step.httpResponse, scrub) },
    refresh,
  };
}

/** Connects with the token and lists the tools, within the MCP connect timeout. */
async function probeServer(deps: TValidateDeps, url: string, token: string): Promise<TProbe> {
  const signal = AbortSignal.timeout(deps.probeTimeoutMs ?? DEFAULT_MCP_CONNECT_TIMEOUT_MS);
  const server = { name: "validation", url };
  let method = "initialize";
  try {
    const connection = await deps.connector.connect(server, { accessToken: token, signal });
    try {
      method = "tools/list";
      await connection.listTools({ signal });
    } finally {
      await connection.close();
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof McpError) return { ok: false, kind: error.kind, step: error.failedStep ?? { method, httpResponse: null } };
    return { ok: false, kind: "connection", step: { method, httpResponse: null } };
  }
}
