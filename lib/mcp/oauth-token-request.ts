import "server-only";
import { createRedactor, REDACTED } from "@/lib/redact";

/**
 * The pure parts of refreshing an `mcp_oauth` credential (RFC 6749 §6): when a refresh is due, the
 * token request, the reading of the token endpoint's answer, and the scrubbed copy of a failed
 * answer that `mcp_oauth_validate` may show. No I/O here (exchange-refresh-token.ts sends it).
 */

/**
 * Decision: an access token is refreshed when it expires within this margin (or has expired), so a
 * token handed to an MCP connection does not run out during the wake's first requests.
 */
export const REFRESH_MARGIN_MS = 60_000;

/** Whether a token with this `expires_at` is due for a refresh at `now`. A token without an expiry never is. */
export function refreshIsDue(expiresAt: string | null, now: number, marginMs = REFRESH_MARGIN_MS): boolean {
  if (expiresAt === null) return false;
  const at = Date.parse(expiresAt);
  return Number.isNaN(at) || at - now <= marginMs;
}

/** Whether a token with this `expires_at` can no longer be used at `now`. */
export function hasExpired(expiresAt: string | null, now: number): boolean {
  if (expiresAt === null) return false;
  const at = Date.parse(expiresAt);
  return Number.isNaN(at) || at <= now;
}

export type TTokenEndpointAuthType = "none" | "client_secret_basic" | "client_secret_post";

export type TRefreshRequestInput = {
  tokenEndpoint: string;
  clientId: string;
  authType: TTokenEndpointAuthType;
  clientSecret: string | undefined;
  refreshToken: string;
  scope: string | null;
  resource: string | null;
};

export type TTokenRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * The refresh-token grant as a form POST. Client authentication as the credential says:
 * `client_secret_basic` puts `client_id:client_secret`, each form-urlencoded first (RFC 6749
 * §2.3.1), in `Authorization: Basic`; `client_secret_post` puts both in the body; `none` (a public
 * client) sends its `client_id` in the body (§3.2.1). `scope` is repeated when the credential has
 * one; `resource` (RFC 8707, which MCP's authorization asks clients to send) too.
 */
export function buildRefreshRequest(input: TRefreshRequestInput): TTokenRequest {
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: input.refreshToken });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (input.authType === "client_secret_basic") {
    if (!input.clientSecret) throw new Error("client_secret_basic needs a client secret");
    headers.authorization = `Basic ${Buffer.from(`${formEncode(input.clientId)}:${formEncode(input.clientSecret)}`, "utf8").toString("base64")}`;
  } else {
    form.set("client_id", input.clientId);
    if (input.authType === "client_secret_post") {
      if (!input.clientSecret) throw new Error("client_secret_post needs a client secret");
      form.set("client_secret", input.clientSecret);
    }
  }
  if (input.scope) form.set("scope", input.scope);
  if (input.resource) form.set("resource", input.resource);
  return { url: input.tokenEndpoint, headers, body: form.toString() };
}

/** `application/x-www-form-urlencoded` encoding of one value (spaces as `+`). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export type TTokens = { accessToken: string; refreshToken: string | null; expiresAt: string | null };

/** A new access token is sent in an HTTP header: printable, and not absurdly long. */
const HEADER_SAFE = /^[\x21-\x7e]{1,16384}$/;

/**
 * Reads a token endpoint's answer (RFC 6749 §5.1/§5.2). A success is HTTP 200 with a JSON object
 * holding a usable `access_token` (and a `token_type` of Bearer, if it names one). `expires_in`
 * (seconds; some servers send it as a string) gives the new `expires_at`; without it the token has
 * no known expiry. A new `refresh_token` replaces the old one (rotation); without one the old one
 * stays. Anything else is a failure with the OAuth `error` code when the answer has a plain one.
 */
export function parseTokenResponse(statusCode: number, text: string, now: number): { ok: true; tokens: TTokens } | { ok: false; error: string | null } {
  const json = parseJsonObject(text);
  if (statusCode !== 200 || !json) return { ok: false, error: oauthErrorCode(json) };
  const accessToken = json.access_token;
  if (typeof accessToken !== "string" || !HEADER_SAFE.test(accessToken)) return { ok: false, error: oauthErrorCode(json) };
  if (json.token_type !== undefined && String(json.token_type).toLowerCase() !== "bearer") return { ok: false, error: "unsupported_token_type" };
  const refreshToken = typeof json.refresh_token === "string" && HEADER_SAFE.test(json.refresh_token) ? json.refresh_token : null;
  const expiresIn = typeof json.expires_in === "string" ? Number(json.expires_in) : json.expires_in;
  const expiresAt = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now + Math.floor(expiresIn * 1000)).toISOString() : null;
  return { ok: true, tokens: { accessToken, refreshToken, expiresAt } };
}

/** The `error` of an OAuth error answer, when it is a plain code (never free text, which may echo input). */
function oauthErrorCode(json: Record<string, unknown> | null): string | null {
  const code = json?.error;
  return typeof code === "string" && /^[a-z0-9_.-]{1,64}$/i.test(code) ? code : null;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An HTTP answer as the API's `http_response` shows it. */
export type THttpResponseCapture = { status_code: number; content_type: string; body: string; body_truncated: boolean };

/** Longest body kept in an `http_response`. */
export const MAX_CAPTURED_BODY = 2048;
const SECRET_KEYS = /^(access_token|refresh_token|id_token|client_secret|token|password|assertion|code)$/i;

/**
 * A copy of an HTTP answer fit to show: in a JSON body the values of token-like keys are replaced,
 * every known secret (in any encoding lib/redact.ts knows) is redacted, and the body is cut to
 * MAX_CAPTURED_BODY characters.
 */
export function captureHttpResponse(
  response: { statusCode: number; contentType: string; body: string },
  secrets: readonly string[],
): THttpResponseCapture {
  const json = parseJsonObject(response.body);
  const scrubbedJson = json ? JSON.stringify(json, (key, value: unknown) => (key && SECRET_KEYS.test(key) && value !== null ? REDACTED : value)) : null;
  const body = createRedactor(secrets).redact(scrubbedJson ?? response.body);
  const truncated = body.length > MAX_CAPTURED_BODY;
  return { status_code: response.statusCode, content_type: response.contentType.slice(0, 256), body: truncated ? body.slice(0, MAX_CAPTURED_BODY) : body, body_truncated: truncated };
}
