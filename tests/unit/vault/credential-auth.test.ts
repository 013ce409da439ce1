import { describe, expect, it } from "vitest";
import { parseWith } from "@/lib/resource/parse";
import { applyAuthUpdate, splitAuthCreate, type TPublicAuth } from "@/lib/vault/credential-auth";
import { ZAuthCreateSchema, ZAuthUpdateSchema, ZCredentialCreateSchema } from "@/lib/vault/schemas";

const create = (auth: unknown) => splitAuthCreate(parseWith(ZAuthCreateSchema, auth, "auth"));
const update = (current: TPublicAuth, auth: unknown) => applyAuthUpdate(current, parseWith(ZAuthUpdateSchema, auth, "auth"));
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
};
const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

const OAUTH = {
  type: "mcp_oauth",
  mcp_server_url: "https://mcp.example.com/mcp",
  access_token: "at-secret-1",
  expires_at: FUTURE,
  refresh: {
    client_id: "client-1",
    refresh_token: "rt-secret-1",
    token_endpoint: "https://auth.example.com/token",
    token_endpoint_auth: { type: "client_secret_post", client_secret: "cs-secret-1" },
    scope: "read write",
  },
};

describe("splitting auth into its public part and its secrets", () => {
  it("keeps every secret out of the public part, for each type", () => {
    const bearer = create({ type: "static_bearer", mcp_server_url: "https://mcp.example.com/", token: "tok-secret" });
    expect(bearer).toEqual({ auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/" }, secrets: { token: "tok-secret" } });

    const oauth = create(OAUTH);
    expect(oauth.secrets).toEqual({ access_token: "at-secret-1", refresh_token: "rt-secret-1", client_secret: "cs-secret-1" });
    expect(oauth.auth).toEqual({
      type: "mcp_oauth",
      mcp_server_url: "https://mcp.example.com/mcp",
      expires_at: FUTURE,
      refresh: { client_id: "client-1", token_endpoint: "https://auth.example.com/token", token_endpoint_auth: { type: "client_secret_post" }, scope: "read write", resource: null },
    });
    expect(JSON.stringify(oauth.auth)).not.toMatch(/secret-1/);

    const env = create({ type: "environment_variable", secret_name: "GITHUB_TOKEN", secret_value: "v-secret", networking: { type: "limited", allowed_hosts: ["API.github.com", "*.githubusercontent.com", "api.github.com"] } });
    expect(env).toEqual({
      auth: {
        type: "environment_variable",
        secret_name: "GITHUB_TOKEN",
        networking: { type: "limited", allowed_hosts: ["api.github.com", "*.githubusercontent.com"] },
        injection_location: { header: true, body: false },
      },
      secrets: { secret_value: "v-secret" },
    });
  });

  it("refuses malformed auth with a message naming the field and never quoting a secret", () => {
    const base = { type: "environment_variable", secret_name: "A", secret_value: "s3cr3t-value", networking: { type: "unrestricted" } };
    const cases: [unknown, RegExp][] = [
      [{ type: "static_bearer", mcp_server_url: "ftp://x.example.com", token: "s3cr3t-value" }, /^auth\.mcp_server_url: must be an http/],
      [{ type: "static_bearer", mcp_server_url: "https://user:pw@x.example.com", token: "s3cr3t-value" }, /^auth\.mcp_server_url: must not contain a user name/],
      [{ type: "static_bearer", mcp_server_url: "https://x.example.com", token: "s3cr3t-value\r\nX: y" }, /^auth\.token: must not contain line breaks/],
      [{ type: "static_bearer", mcp_server_url: "https://x.example.com", token: "" }, /^auth\.token: must not be empty/],
      [{ type: "static_bearer", mcp_server_url: "https://x.example.com", token: "s3cr3t-value", access_token: "s3cr3t-value" }, /^auth: unknown field "access_token"/],
      [{ type: "basic", token: "s3cr3t-value" }, /^auth\.type:/],
      [{ ...base, secret_name: "lower_case" }, /^auth\.secret_name: must be an environment variable name/],
      [{ ...base, secret_name: "1ABC" }, /^auth\.secret_name: must be an environment variable name/],
      [{ ...base, networking: { type: "limited", allowed_hosts: [] } }, /^auth\.networking\.allowed_hosts: at least one host/],
      [{ ...base, networking: { type: "limited", allowed_hosts: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) } }, /^auth\.networking\.allowed_hosts: at most 16 hosts/],
      [{ ...base, networking: { type: "limited", allowed_hosts: ["https://api.example.com"] } }, /^auth\.networking\.allowed_hosts\[0\]: must be a hostname/],
      [{ ...base, networking: { type: "limited", allowed_hosts: ["ok.example.com", "api.example.com:443"] } }, /^auth\.networking\.allowed_hosts\[1\]: must be a hostname/],
      [{ ...base, networking: { type: "limited", allowed_hosts: ["::1"] } }, /^auth\.networking\.allowed_hosts\[0\]: must be a hostname/],
      [{ ...base, networking: { type: "limited", allowed_hosts: ["300.1.1.1"] } }, /^auth\.networking\.allowed_hosts\[0\]: must be a hostname/],
      [{ ...OAUTH, expires_at: "2001-01-01T00:00:00Z" }, /^auth\.expires_at: must be in the future/],
      [{ ...OAUTH, expires_at: "tomorrow" }, /^auth\.expires_at: must be an RFC 3339 timestamp/],
      [{ ...OAUTH, refresh: { ...OAUTH.refresh, token_endpoint: "javascript:alert(1)" } }, /^auth\.refresh\.token_endpoint: must be an http/],
      [{ ...OAUTH, refresh: { ...OAUTH.refresh, token_endpoint_auth: { type: "client_secret_basic" } } }, /^auth\.refresh\.token_endpoint_auth\.client_secret:/],
    ];
    for (const [auth, expected] of cases) {
      const message = messageOf(() => create(auth));
      expect(message, JSON.stringify(auth).slice(0, 120)).toMatch(expected);
      expect(message).not.toContain("s3cr3t");
    }
    expect(messageOf(() => create({ ...base, injection_location: { header: false } }))).toMatch(/^auth\.injection_location: at least one of header and body/);
    expect(create({ ...base, networking: { type: "limited", allowed_hosts: ["192.0.2.1", "localhost", "*.example.com"] } }).auth).toMatchObject({
      networking: { allowed_hosts: ["192.0.2.1", "localhost", "*.example.com"] },
    });
    expect(messageOf(() => parseWith(ZCredentialCreateSchema, { auth: base, display_name: "x".repeat(256) }))).toMatch(/^display_name: at most 255/);
  });
});

describe("updating auth", () => {
  const oauth = create(OAUTH).auth;
  const env = create({ type: "environment_variable", secret_name: "API_KEY", secret_value: "v", networking: { type: "unrestricted" }, injection_location: { body: true } }).auth;

  it("replaces only the secrets that are sent; null and omitted keep them", () => {
    expect(update(oauth, { type: "mcp_oauth", access_token: "at-2", refresh: { refresh_token: "rt-2", token_endpoint_auth: { type: "client_secret_basic", client_secret: "cs-2" } } })).toEqual({
      auth: oauth,
      secretPatch: { access_token: "at-2", refresh_token: "rt-2", client_secret: "cs-2" },
    });
    expect(update(oauth, { type: "mcp_oauth", access_token: null, refresh: null })).toEqual({ auth: oauth, secretPatch: {} });
    const bearer = create({ type: "static_bearer", mcp_server_url: "https://x.example.com", token: "t" }).auth;
    expect(update(bearer, { type: "static_bearer", token: "t2", mcp_server_url: "https://x.example.com" }).secretPatch).toEqual({ token: "t2" });
  });

  it("changes public settings: expiry, scope, networking, injection locations (merged)", () => {
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const next = update(oauth, { type: "mcp_oauth", expires_at: later, refresh: { scope: "" } }).auth;
    expect(next).toMatchObject({ expires_at: later, refresh: { scope: null, client_id: "client-1", token_endpoint_auth: { type: "client_secret_post" } } });
    expect(update(oauth, { type: "mcp_oauth", expires_at: null }).auth).toMatchObject({ expires_at: null });
    expect(env).toMatchObject({ injection_location: { header: true, body: true } });
    const narrowed = update(env, { type: "environment_variable", injection_location: { body: false }, networking: { type: "limited", allowed_hosts: ["api.example.com"] } }).auth;
    expect(narrowed).toMatchObject({ injection_location: { header: true, body: false }, networking: { type: "limited", allowed_hosts: ["api.example.com"] } });
    expect(messageOf(() => update(env, { type: "environment_variable", injection_location: { header: false, body: false } }))).toMatch(/at least one of header and body/);
  });

  it("refuses a type change and changes to immutable fields, but accepts them repeated unchanged", () => {
    expect(messageOf(() => update(oauth, { type: "static_bearer", token: "x" }))).toMatch(/^auth\.type: the credential is mcp_oauth; its type cannot change/);
    expect(messageOf(() => update(oauth, { type: "mcp_oauth", mcp_server_url: "https://other.example.com" }))).toMatch(/^auth\.mcp_server_url: cannot be changed/);
    expect(messageOf(() => update(oauth, { type: "mcp_oauth", refresh: { client_id: "client-2" } }))).toMatch(/^auth\.refresh\.client_id: cannot be changed/);
    expect(messageOf(() => update(env, { type: "environment_variable", secret_name: "OTHER" }))).toMatch(/^auth\.secret_name: cannot be changed/);
    expect(update(env, { type: "environment_variable", secret_name: "API_KEY" }).auth).toEqual(env);
    expect(messageOf(() => update(env, { type: "environment_variable", token: "x" }))).toMatch(/^auth: unknown field "token"/);
  });

  it("refuses a client secret for a token endpoint without client authentication, and refresh settings where there is no refresh", () => {
    const none = create({ ...OAUTH, refresh: { ...OAUTH.refresh, token_endpoint_auth: { type: "none" } } }).auth;
    expect(messageOf(() => update(none, { type: "mcp_oauth", refresh: { token_endpoint_auth: { type: "client_secret_post", client_secret: "c" } } }))).toMatch(
      /^auth\.refresh\.token_endpoint_auth: .*no client secret/,
    );
    const bare = create({ type: "mcp_oauth", mcp_server_url: "https://x.example.com", access_token: "a" }).auth;
    expect(bare).toMatchObject({ expires_at: null, refresh: null });
    expect(messageOf(() => update(bare, { type: "mcp_oauth", refresh: { refresh_token: "r" } }))).toMatch(/^auth\.refresh: the credential has no refresh configuration/);
  });
});
