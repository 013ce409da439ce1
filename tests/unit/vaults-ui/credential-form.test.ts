import { describe, expect, it } from "vitest";
import { applyAuthUpdate, splitAuthCreate, type TPublicAuth } from "@/lib/vault/credential-auth";
import { ZCredentialCreateSchema, ZCredentialUpdateSchema } from "@/lib/vault/schemas";
import {
  credentialCreateBody,
  credentialFieldErrors,
  credentialFieldOfPath,
  credentialFormData,
  credentialFormValues,
  credentialUpdateBody,
  newCredentialFormValues,
  SECRET_FIELDS,
  type TCredentialFormValues,
  type TSecretFields,
} from "@/lib/vault/ui/credential-form";
import { credentialHosts, credentialTarget, injectionSummary } from "@/lib/vault/ui/credential-summary";

const NO_SECRETS = Object.fromEntries(SECRET_FIELDS.map((field) => [field, ""])) as TSecretFields;
const secrets = (patch: Partial<TSecretFields>): TSecretFields => ({ ...NO_SECRETS, ...patch });
const FUTURE = new Date(Date.now() + 86_400_000).toISOString();

/** What the API would store for a create form: its public part, and the secrets apart. */
function stored(values: TCredentialFormValues, typed: Partial<TSecretFields>) {
  const parsed = ZCredentialCreateSchema.safeParse(credentialCreateBody(values, secrets(typed)));
  if (!parsed.success) throw new Error(JSON.stringify(credentialFieldErrors(parsed.error, values)));
  return { ...splitAuthCreate(parsed.data.auth), display_name: parsed.data.display_name ?? null };
}

/** The errors of a create form, as the page shows them next to each field. */
function createErrors(values: TCredentialFormValues, typed: Partial<TSecretFields>): Record<string, string> {
  const parsed = ZCredentialCreateSchema.safeParse(credentialCreateBody(values, secrets(typed)));
  if (parsed.success) return {};
  return credentialFieldErrors(parsed.error, values);
}

describe("the credential form", () => {
  it("makes an environment variable credential of the chosen hosts and locations", () => {
    const values = { ...newCredentialFormValues("environment_variable"), display_name: "GitHub", secret_name: "GITHUB_TOKEN", allowed_hosts: "api.github.com\n\n  *.GitHub.com \n", inject_body: true };
    const result = stored(values, { secret_value: "ghp_value" });
    expect(result.display_name).toBe("GitHub");
    expect(result.auth).toEqual({
      type: "environment_variable",
      secret_name: "GITHUB_TOKEN",
      networking: { type: "limited", allowed_hosts: ["api.github.com", "*.github.com"] },
      injection_location: { header: true, body: true },
    });
    expect(result.secrets).toEqual({ secret_value: "ghp_value" });
    // Any host, and other types' fields ignored.
    const open = stored({ ...values, networking: "unrestricted", mcp_server_url: "https://ignored.example.com" }, { secret_value: "v", token: "ignored" });
    expect(open.auth).toMatchObject({ networking: { type: "unrestricted" } });
    expect(open.secrets).toEqual({ secret_value: "v" });
  });

  it("makes bearer and OAuth credentials, with and without a refresh configuration", () => {
    const bearer = stored({ ...newCredentialFormValues("static_bearer"), mcp_server_url: "https://mcp.example.com/mcp" }, { token: "tok" });
    expect(bearer).toEqual({ auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/mcp" }, secrets: { token: "tok" }, display_name: null });

    const oauth = { ...newCredentialFormValues("mcp_oauth"), mcp_server_url: "https://mcp.example.com/mcp", expires_at: FUTURE };
    expect(stored(oauth, { access_token: "at" })).toMatchObject({ auth: { type: "mcp_oauth", expires_at: FUTURE, refresh: null }, secrets: { access_token: "at" } });

    const refreshing = { ...oauth, refresh: true, client_id: "client-1", token_endpoint: "https://auth.example.com/token", token_endpoint_auth: "client_secret_post" as const, scope: "read" };
    const result = stored(refreshing, { access_token: "at", refresh_token: "rt", client_secret: "cs" });
    expect(result.auth).toMatchObject({ refresh: { client_id: "client-1", token_endpoint_auth: { type: "client_secret_post" }, scope: "read", resource: null } });
    expect(result.secrets).toEqual({ access_token: "at", refresh_token: "rt", client_secret: "cs" });
  });

  it("refuses every bad field at once, next to its field, naming a bad host by its line", () => {
    const values = { ...newCredentialFormValues("environment_variable"), secret_name: "github-token", allowed_hosts: "api.github.com\nhttps://example.com/path" };
    const errors = createErrors(values, {});
    expect(Object.keys(errors).sort()).toEqual(["allowed_hosts", "secret_name", "secret_value"]);
    expect(errors.secret_name).toMatch(/^Must be an environment variable name/);
    expect(errors.secret_value).toBe("Must not be empty");
    expect(errors.allowed_hosts).toMatch(/^Line 2 \(“https:\/\/example\.com\/path”\): must be a hostname/);

    expect(createErrors({ ...values, secret_name: "OK", allowed_hosts: "" }, { secret_value: "v" })).toEqual({ allowed_hosts: "At least one host" });

    const oauth = { ...newCredentialFormValues("mcp_oauth"), mcp_server_url: "ftp://x", refresh: true, token_endpoint_auth: "client_secret_basic" as const, expires_at: "tomorrow" };
    expect(Object.keys(createErrors(oauth, { access_token: "at" })).sort()).toEqual(["client_id", "client_secret", "expires_at", "mcp_server_url", "refresh_token", "token_endpoint"]);
  });

  it("never quotes a secret in a message", () => {
    const secret = "line-one\nline-two-very-secret";
    const errors = createErrors({ ...newCredentialFormValues("static_bearer"), mcp_server_url: "https://mcp.example.com" }, { token: secret });
    expect(errors.token).toMatch(/line breaks/);
    expect(JSON.stringify(errors)).not.toContain("very-secret");
  });

  it("reads the submitted form, keeping secrets apart from the values", () => {
    const form = new FormData();
    for (const [key, value] of Object.entries({ type: "environment_variable", secret_name: " API_KEY ", secret_value: "s3cret", networking: "limited", allowed_hosts: "a.example.com\r\nb.example.com", inject_body: "on" })) {
      form.set(key, value);
    }
    const { values, secrets: typed } = credentialFormData(form);
    expect(values).toMatchObject({ type: "environment_variable", secret_name: "API_KEY", allowed_hosts: "a.example.com\nb.example.com", inject_header: false, inject_body: true });
    expect(JSON.stringify(values)).not.toContain("s3cret");
    expect(typed.secret_value).toBe("s3cret");
    form.set("type", "something_else");
    expect(credentialFormData(form).values.type).toBe("environment_variable");
  });

  it("maps the API's error paths to the form's fields", () => {
    expect(credentialFieldOfPath("display_name")).toBe("display_name");
    expect(credentialFieldOfPath("auth.networking.allowed_hosts[3]")).toBe("allowed_hosts");
    expect(credentialFieldOfPath("auth.injection_location")).toBe("injection_location");
    expect(credentialFieldOfPath("auth.refresh.token_endpoint_auth.client_secret")).toBe("client_secret");
    expect(credentialFieldOfPath("auth.refresh.token_endpoint_auth")).toBe("token_endpoint_auth");
    expect(credentialFieldOfPath("auth.refresh.client_id")).toBe("client_id");
    expect(credentialFieldOfPath("auth.secret_value")).toBe("secret_value");
    expect(credentialFieldOfPath("auth.type")).toBe("type");
    expect(credentialFieldOfPath("metadata.x")).toBeNull();
  });
});

describe("the credential update form", () => {
  const update = (current: TPublicAuth, values: TCredentialFormValues, typed: Partial<TSecretFields>) => {
    const body = ZCredentialUpdateSchema.parse(credentialUpdateBody(current, values, secrets(typed)));
    return { ...applyAuthUpdate(current, body.auth!), display_name: body.display_name };
  };
  const ENV: TPublicAuth = { type: "environment_variable", secret_name: "API_KEY", networking: { type: "limited", allowed_hosts: ["api.example.com"] }, injection_location: { header: true, body: false } };
  const OAUTH: TPublicAuth = {
    type: "mcp_oauth",
    mcp_server_url: "https://mcp.example.com",
    expires_at: "2020-01-01T00:00:00.000Z",
    refresh: { client_id: "c", token_endpoint: "https://auth.example.com/token", token_endpoint_auth: { type: "client_secret_basic" }, scope: "read", resource: null },
  };

  it("keeps the stored secret and settings when nothing is typed", () => {
    for (const auth of [ENV, OAUTH, { type: "static_bearer", mcp_server_url: "https://mcp.example.com" } as TPublicAuth]) {
      const result = update(auth, credentialFormValues({ display_name: "Name", auth }), {});
      expect(result.auth, auth.type).toEqual(auth);
      expect(result.secretPatch, auth.type).toEqual({});
      expect(result.display_name).toBe("Name");
    }
  });

  it("replaces only the secrets that were typed, and saves changed settings", () => {
    const env = update(ENV, { ...credentialFormValues({ display_name: null, auth: ENV }), allowed_hosts: "api.example.com\nuploads.example.com", inject_body: true }, { secret_value: "new" });
    expect(env.secretPatch).toEqual({ secret_value: "new" });
    expect(env.auth).toMatchObject({ networking: { allowed_hosts: ["api.example.com", "uploads.example.com"] }, injection_location: { header: true, body: true } });
    expect(env.display_name).toBeNull();

    const oauth = update(OAUTH, { ...credentialFormValues({ display_name: null, auth: OAUTH }), expires_at: FUTURE, scope: "" }, { access_token: "at2", client_secret: "cs2" });
    expect(oauth.secretPatch).toEqual({ access_token: "at2", client_secret: "cs2" });
    expect(oauth.auth).toMatchObject({ expires_at: FUTURE, refresh: { scope: null } });

    const cleared = update(OAUTH, { ...credentialFormValues({ display_name: null, auth: OAUTH }), expires_at: "" }, {});
    expect(cleared.auth).toMatchObject({ expires_at: null });
  });
});

describe("credential summaries", () => {
  it("say what a credential is for and where its secret may go", () => {
    expect(credentialTarget({ type: "static_bearer", mcp_server_url: "https://mcp.example.com/x" })).toBe("https://mcp.example.com/x");
    expect(credentialHosts({ type: "static_bearer", mcp_server_url: "https://mcp.example.com:8443/x" })).toBe("mcp.example.com:8443");
    expect(credentialHosts({ type: "environment_variable", secret_name: "A", networking: { type: "unrestricted" }, injection_location: { header: true, body: false } })).toBe("Any host");
    expect(injectionSummary({ header: false, body: true })).toBe("Body");
  });
});
