import { describe, expect, it } from "vitest";
import { buildRefreshRequest, captureHttpResponse, hasExpired, MAX_CAPTURED_BODY, parseTokenResponse, refreshIsDue, REFRESH_MARGIN_MS } from "@/lib/mcp/oauth-token-request";

const NOW = Date.parse("2030-01-01T12:00:00Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe("when an access token is refreshed", () => {
  it("refreshes within the margin before expiry and after it, never without an expiry", () => {
    expect(refreshIsDue(at(REFRESH_MARGIN_MS + 1_000), NOW)).toBe(false);
    expect(refreshIsDue(at(REFRESH_MARGIN_MS), NOW)).toBe(true);
    expect(refreshIsDue(at(1_000), NOW)).toBe(true);
    expect(refreshIsDue(at(-1_000), NOW)).toBe(true);
    expect(refreshIsDue(null, NOW)).toBe(false);
    expect(refreshIsDue("not a date", NOW)).toBe(true);
  });

  it("counts a token as expired only from its expiry on", () => {
    expect(hasExpired(at(1), NOW)).toBe(false);
    expect(hasExpired(at(0), NOW)).toBe(true);
    expect(hasExpired(null, NOW)).toBe(false);
  });
});

describe("the refresh-token request (RFC 6749)", () => {
  const base = { tokenEndpoint: "https://auth.example.com/token", clientId: "client:1 é", refreshToken: "rt/+secret=", scope: null, resource: null };
  const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

  it("client_secret_basic: id and secret form-encoded in Authorization: Basic, not in the body", () => {
    const request = buildRefreshRequest({ ...base, authType: "client_secret_basic", clientSecret: "s3cr%t :+" });
    expect(request.url).toBe("https://auth.example.com/token");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const basic = Buffer.from(request.headers.authorization!.replace(/^Basic /, ""), "base64").toString("utf8");
    expect(basic).toBe("client%3A1+%C3%A9:s3cr%25t+%3A%2B");
    expect(form(request.body)).toEqual({ grant_type: "refresh_token", refresh_token: "rt/+secret=" });
  });

  it("client_secret_post: id and secret in the body", () => {
    const request = buildRefreshRequest({ ...base, authType: "client_secret_post", clientSecret: "post-secret" });
    expect(request.headers.authorization).toBeUndefined();
    expect(form(request.body)).toEqual({ grant_type: "refresh_token", refresh_token: "rt/+secret=", client_id: "client:1 é", client_secret: "post-secret" });
  });

  it("none: a public client sends its id only; scope and resource are repeated when set", () => {
    const request = buildRefreshRequest({ ...base, authType: "none", clientSecret: undefined, scope: "read write", resource: "https://mcp.example.com/mcp" });
    expect(request.headers.authorization).toBeUndefined();
    expect(form(request.body)).toEqual({
      grant_type: "refresh_token",
      refresh_token: "rt/+secret=",
      client_id: "client:1 é",
      scope: "read write",
      resource: "https://mcp.example.com/mcp",
    });
  });

  it("refuses client secret authentication without a secret", () => {
    expect(() => buildRefreshRequest({ ...base, authType: "client_secret_post", clientSecret: undefined })).toThrow(/needs a client secret/);
  });
});

describe("reading the token endpoint's answer", () => {
  it("takes the access token, the rotated refresh token and the new expiry", () => {
    const answer = JSON.stringify({ access_token: "at-new", token_type: "bearer", expires_in: 3600, refresh_token: "rt-new" });
    expect(parseTokenResponse(200, answer, NOW)).toEqual({ ok: true, tokens: { accessToken: "at-new", refreshToken: "rt-new", expiresAt: at(3_600_000) } });
  });

  it("keeps no refresh token and no expiry when the answer has none; reads expires_in sent as a string", () => {
    expect(parseTokenResponse(200, JSON.stringify({ access_token: "at-new" }), NOW)).toEqual({ ok: true, tokens: { accessToken: "at-new", refreshToken: null, expiresAt: null } });
    expect(parseTokenResponse(200, JSON.stringify({ access_token: "at-new", expires_in: "60" }), NOW)).toMatchObject({ ok: true, tokens: { expiresAt: at(60_000) } });
  });

  it("fails on an error answer (with its plain OAuth code), a missing or unusable token, another token type", () => {
    expect(parseTokenResponse(400, JSON.stringify({ error: "invalid_grant", error_description: "expired" }), NOW)).toEqual({ ok: false, error: "invalid_grant" });
    expect(parseTokenResponse(400, JSON.stringify({ error: "bad code with spaces" }), NOW)).toEqual({ ok: false, error: null });
    expect(parseTokenResponse(200, "<html>oops</html>", NOW)).toEqual({ ok: false, error: null });
    expect(parseTokenResponse(200, JSON.stringify({ token_type: "bearer" }), NOW)).toEqual({ ok: false, error: null });
    expect(parseTokenResponse(200, JSON.stringify({ access_token: "line\nbreak" }), NOW)).toEqual({ ok: false, error: null });
    expect(parseTokenResponse(200, JSON.stringify({ access_token: "at", token_type: "mac" }), NOW)).toEqual({ ok: false, error: "unsupported_token_type" });
    expect(parseTokenResponse(201, JSON.stringify({ access_token: "at" }), NOW)).toEqual({ ok: false, error: null });
  });
});

describe("the scrubbed copy of an HTTP answer", () => {
  it("replaces token-like JSON values and every known secret, and cuts long bodies", () => {
    const body = JSON.stringify({ error: "invalid_grant", error_description: "refresh token rt-known-secret-1 expired", refresh_token: "rt-unknown-new-2" });
    const capture = captureHttpResponse({ statusCode: 400, contentType: "application/json", body }, ["rt-known-secret-1"]);
    expect(capture).toMatchObject({ status_code: 400, content_type: "application/json", body_truncated: false });
    expect(capture.body).toContain("invalid_grant");
    expect(capture.body).not.toContain("rt-known-secret-1");
    expect(capture.body).not.toContain("rt-unknown-new-2");

    const long = captureHttpResponse({ statusCode: 500, contentType: "text/plain", body: `x${"a".repeat(5000)} secret-at-the-end-123` }, ["secret-at-the-end-123"]);
    expect(long.body).toHaveLength(MAX_CAPTURED_BODY);
    expect(long.body_truncated).toBe(true);
    const encoded = captureHttpResponse({ statusCode: 401, contentType: "text/plain", body: `bad ${encodeURIComponent("tok/en+secret=9")}` }, ["tok/en+secret=9"]);
    expect(encoded.body).toBe("bad [redacted]");
  });
});
