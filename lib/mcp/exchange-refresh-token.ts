import "server-only";
import { lookup } from "node:dns/promises";
import { isPublicAddress } from "@/lib/egress/address-policy";
import { buildRefreshRequest, captureHttpResponse, parseTokenResponse, type TRefreshRequestInput, type THttpResponseCapture, type TTokens } from "./oauth-token-request";

/** Longest a token endpoint may take to answer (connect, send, read). */
export const DEFAULT_TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** Longest answer read from a token endpoint. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * What became of one refresh-token exchange, in the vocabulary of the API's `refresh.status`:
 * `failed` — the endpoint answered with an error (its scrubbed answer, and the OAuth error code
 * when there is one); `connect_error` — no answer (refused, DNS, TLS, timeout, a private address
 * this installation does not call). `reason` is a one-line description without any secret.
 */
export type TExchangeOutcome =
  | { status: "succeeded"; tokens: TTokens }
  | { status: "failed"; httpResponse: THttpResponseCapture; reason: string }
  | { status: "connect_error"; reason: string };

export type TExchangeSettings = {
  /** May call token endpoints on loopback and private addresses (EGRESS_ALLOW_PRIVATE_ADDRESSES). */
  allowPrivateAddresses: boolean;
  timeoutMs?: number;
  now?: () => number;
};

/**
 * POSTs the refresh-token grant to the credential's token endpoint. Decisions: the endpoint gets
 * the same address policy as MCP servers (check-mcp-destination.ts), so a credential cannot make
 * the server call into its own network; redirects are not followed (a token request is not
 * replayed elsewhere); the whole exchange is bounded by `timeoutMs` and by `signal`.
 */
export async function exchangeRefreshToken(
  input: TRefreshRequestInput,
  settings: TExchangeSettings,
  signal?: AbortSignal,
): Promise<TExchangeOutcome> {
  const request = buildRefreshRequest(input);
  const secrets = [input.refreshToken, ...(input.clientSecret ? [input.clientSecret] : [])];
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TOKEN_REQUEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const refused = await destinationRefusal(request.url, settings.allowPrivateAddresses);
  if (refused) return { status: "connect_error", reason: refused };

  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal: bounded });
    text = await readLimited(response);
  } catch (error) {
    if (signal?.aborted && !timeout.aborted) throw signal.reason ?? error;
    const reason = timeout.aborted ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `could not be reached${networkCode(error)}`;
    return { status: "connect_error", reason: `the token endpoint ${reason}` };
  }
  const now = (settings.now ?? Date.now)();
  const parsed = parseTokenResponse(response.status, text, now);
  if (parsed.ok) return { status: "succeeded", tokens: parsed.tokens };
  const httpResponse = captureHttpResponse({ statusCode: response.status, contentType: response.headers.get("content-type") ?? "", body: text }, secrets);
  const what = response.status === 200 ? "answered without a usable access token" : `answered HTTP ${response.status}`;
  return { status: "failed", httpResponse, reason: `the token endpoint ${what}${parsed.error ? ` (${parsed.error})` : ""}` };
}

async function destinationRefusal(url: string, allowPrivateAddresses: boolean): Promise<string | null> {
  if (allowPrivateAddresses) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    return `the token endpoint's host could not be resolved (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (addresses.length === 0 || addresses.some((address) => !isPublicAddress(address))) {
    return "the token endpoint resolves to a loopback or private address, which this installation does not call (EGRESS_ALLOW_PRIVATE_ADDRESSES allows it)";
  }
  return null;
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8");
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause && typeof cause.code === "string" ? ` (${cause.code})` : "";
}
