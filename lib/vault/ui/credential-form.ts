import type { z } from "zod";
import { linesOf } from "@/lib/resource/lines";
import { formatIssuePath } from "@/lib/errors";
import { AUTH_TYPES, DEFAULT_INJECTION_LOCATION, type TAuthType, type TPublicAuth } from "../credential-auth";

/**
 * The credential forms' model: the fields a person edits, the submitted form as plain values, the
 * body of the credential API built from it, and the form field an API error path names. Pure: no
 * I/O. The form is checked by the API's own schemas (no second set of rules to drift apart).
 *
 * Secrets (token, access and refresh tokens, client secret, variable value) are not part of the
 * values a form keeps or a server answers with: they go one way, from the browser to the vault.
 */
export { AUTH_TYPES };
export const SECRET_FIELDS = ["token", "access_token", "refresh_token", "client_secret", "secret_value"] as const;
export type TSecretField = (typeof SECRET_FIELDS)[number];
export type TSecretFields = Record<TSecretField, string>;

export const TOKEN_ENDPOINT_AUTHS = ["none", "client_secret_basic", "client_secret_post"] as const;
type TTokenEndpointAuth = (typeof TOKEN_ENDPOINT_AUTHS)[number];

export type TCredentialFormValues = {
  type: TAuthType;
  display_name: string;
  mcp_server_url: string;
  expires_at: string;
  refresh: boolean;
  client_id: string;
  token_endpoint: string;
  token_endpoint_auth: TTokenEndpointAuth;
  scope: string;
  resource: string;
  secret_name: string;
  networking: "unrestricted" | "limited";
  allowed_hosts: string;
  inject_header: boolean;
  inject_body: boolean;
};

export function newCredentialFormValues(type: TAuthType = "environment_variable"): TCredentialFormValues {
  return {
    type,
    display_name: "",
    mcp_server_url: "",
    expires_at: "",
    refresh: false,
    client_id: "",
    token_endpoint: "",
    token_endpoint_auth: "none",
    scope: "",
    resource: "",
    secret_name: "",
    networking: "limited",
    allowed_hosts: "",
    inject_header: DEFAULT_INJECTION_LOCATION.header,
    inject_body: DEFAULT_INJECTION_LOCATION.body,
  };
}

/** The editable fields of a stored credential (its public part; secrets are never read back). */
export function credentialFormValues(credential: { display_name: string | null; auth: TPublicAuth }): TCredentialFormValues {
  const { auth } = credential;
  const base = { ...newCredentialFormValues(auth.type), display_name: credential.display_name ?? "" };
  switch (auth.type) {
    case "static_bearer":
      return { ...base, mcp_server_url: auth.mcp_server_url };
    case "mcp_oauth":
      return {
        ...base,
        mcp_server_url: auth.mcp_server_url,
        expires_at: auth.expires_at ?? "",
        refresh: auth.refresh !== null,
        client_id: auth.refresh?.client_id ?? "",
        token_endpoint: auth.refresh?.token_endpoint ?? "",
        token_endpoint_auth: auth.refresh?.token_endpoint_auth.type ?? "none",
        scope: auth.refresh?.scope ?? "",
        resource: auth.refresh?.resource ?? "",
      };
    case "environment_variable":
      return {
        ...base,
        secret_name: auth.secret_name,
        networking: auth.networking.type,
        allowed_hosts: auth.networking.type === "limited" ? auth.networking.allowed_hosts.join("\n") : "",
        inject_header: auth.injection_location.header,
        inject_body: auth.injection_location.body,
      };
  }
}

/** The submitted form: its values (checkboxes as booleans) and, apart, its secrets. */
export function credentialFormData(formData: FormData): { values: TCredentialFormValues; secrets: TSecretFields } {
  const text = (key: string) => {
    const value = formData.get(key);
    return typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "";
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => (allowed.includes(text(key) as T) ? (text(key) as T) : fallback);
  const values: TCredentialFormValues = {
    type: oneOf("type", AUTH_TYPES, "environment_variable"),
    display_name: text("display_name"),
    mcp_server_url: text("mcp_server_url").trim(),
    expires_at: text("expires_at").trim(),
    refresh: formData.get("refresh") === "on",
    client_id: text("client_id"),
    token_endpoint: text("token_endpoint").trim(),
    token_endpoint_auth: oneOf("token_endpoint_auth", TOKEN_ENDPOINT_AUTHS, "none"),
    scope: text("scope"),
    resource: text("resource").trim(),
    secret_name: text("secret_name").trim(),
    networking: oneOf("networking", ["unrestricted", "limited"] as const, "limited"),
    allowed_hosts: text("allowed_hosts"),
    inject_header: formData.get("inject_header") === "on",
    inject_body: formData.get("inject_body") === "on",
  };
  const secrets = Object.fromEntries(SECRET_FIELDS.map((field) => [field, text(field)])) as TSecretFields;
  return { values, secrets };
}

const orNull = (text: string) => (text.trim() === "" ? null : text);
const hostList = (values: TCredentialFormValues) => linesOf(values.allowed_hosts).map((entry) => entry.value);

function networkingOf(values: TCredentialFormValues) {
  return values.networking === "limited" ? { type: "limited", allowed_hosts: hostList(values) } : { type: "unrestricted" };
}

/** The body of `POST /v1/vaults/{id}/credentials` for the chosen type (other types' fields are ignored). */
export function credentialCreateBody(values: TCredentialFormValues, secrets: TSecretFields): Record<string, unknown> {
  const display = orNull(values.display_name);
  const common = display === null ? {} : { display_name: display };
  switch (values.type) {
    case "static_bearer":
      return { ...common, auth: { type: "static_bearer", mcp_server_url: values.mcp_server_url, token: secrets.token } };
    case "mcp_oauth": {
      const endpointAuth = values.token_endpoint_auth === "none" ? { type: "none" } : { type: values.token_endpoint_auth, client_secret: secrets.client_secret };
      const refresh = values.refresh
        ? {
            client_id: values.client_id,
            refresh_token: secrets.refresh_token,
            token_endpoint: values.token_endpoint,
            token_endpoint_auth: endpointAuth,
            ...(orNull(values.scope) === null ? {} : { scope: values.scope }),
            ...(values.resource === "" ? {} : { resource: values.resource }),
          }
        : null;
      const expiresAt = values.expires_at === "" ? {} : { expires_at: values.expires_at };
      return { ...common, auth: { type: "mcp_oauth", mcp_server_url: values.mcp_server_url, access_token: secrets.access_token, ...expiresAt, refresh } };
    }
    case "environment_variable":
      return {
        ...common,
        auth: {
          type: "environment_variable",
          secret_name: values.secret_name,
          secret_value: secrets.secret_value,
          networking: networkingOf(values),
          injection_location: { header: values.inject_header, body: values.inject_body },
        },
      };
  }
}

/**
 * The body of `POST /v1/vaults/{id}/credentials/{id}`: the name (blank clears it), the settings the
 * form edits, and only the secrets that were typed — a secret left blank is kept as it is.
 */
export function credentialUpdateBody(current: TPublicAuth, values: TCredentialFormValues, secrets: TSecretFields): Record<string, unknown> {
  const given = (field: TSecretField) => (secrets[field] === "" ? {} : { [field]: secrets[field] });
  const body = { display_name: orNull(values.display_name) };
  switch (current.type) {
    case "static_bearer":
      return { ...body, auth: { type: "static_bearer", ...given("token") } };
    case "environment_variable":
      return {
        ...body,
        auth: {
          type: "environment_variable",
          ...given("secret_value"),
          networking: networkingOf(values),
          injection_location: { header: values.inject_header, body: values.inject_body },
        },
      };
    case "mcp_oauth": {
      // An unchanged expiry is not sent: it may be in the past by now, and the API wants a future one.
      const expiresAt = values.expires_at === (current.expires_at ?? "") ? {} : { expires_at: values.expires_at === "" ? null : values.expires_at };
      const endpointType = current.refresh?.token_endpoint_auth.type;
      const refresh = current.refresh
        ? {
            refresh: {
              ...given("refresh_token"),
              scope: values.scope,
              ...(endpointType && endpointType !== "none" && secrets.client_secret !== "" ? { token_endpoint_auth: { type: endpointType, client_secret: secrets.client_secret } } : {}),
            },
          }
        : {};
      return { ...body, auth: { type: "mcp_oauth", ...given("access_token"), ...expiresAt, ...refresh } };
    }
  }
}

/** The form field an API error path names (`auth.refresh.token_endpoint_auth.client_secret` → `client_secret`), or null. */
export function credentialFieldOfPath(path: string): string | null {
  if (path === "display_name") return "display_name";
  if (!path.startsWith("auth")) return null;
  const rest = path.replace(/^auth\.?/, "");
  if (rest === "" || rest === "type") return "type";
  if (/^networking\.allowed_hosts/.test(rest)) return "allowed_hosts";
  if (rest.startsWith("networking")) return "networking";
  if (rest.startsWith("injection_location")) return "injection_location";
  if (rest === "refresh") return "refresh";
  if (rest.startsWith("refresh.token_endpoint_auth.client_secret")) return "client_secret";
  if (rest.startsWith("refresh.token_endpoint_auth")) return "token_endpoint_auth";
  const field = /^(?:refresh\.)?([a-z_]+)/.exec(rest)?.[1];
  return field ?? null;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Every refused field of a failed parse of the body, one message each, next to its field. A refused
 * host names its line, as the environment form does: `Line 2 (“exa mple.com”): must be a hostname…`.
 * Messages come from the API's schemas, which never quote a submitted value (it may be a secret).
 */
export function credentialFieldErrors(error: z.ZodError, values: TCredentialFormValues): Record<string, string> {
  const hosts = linesOf(values.allowed_hosts);
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = formatIssuePath(issue.path);
    const field = credentialFieldOfPath(path) ?? "form";
    if (field in out) continue;
    const index = field === "allowed_hosts" ? issue.path.at(-1) : undefined;
    const entry = typeof index === "number" ? hosts[index] : undefined;
    out[field] = entry ? `Line ${entry.line} (“${entry.value.slice(0, 80)}”): ${issue.message}` : sentence(issue.message);
  }
  return out;
}
