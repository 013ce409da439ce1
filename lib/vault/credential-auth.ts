import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ZNetworkingSchema, type TAuthCreate, type TAuthUpdate } from "./schemas";

/**
 * A credential's `auth` is split in two: the public part (stored in the `auth` column, returned by
 * the API) and the secrets (one JSON document, encrypted). The public schemas below are also the
 * whitelist applied to every response, so a stray field could never carry a secret out.
 */
export const AUTH_TYPES = ["static_bearer", "mcp_oauth", "environment_variable"] as const;
export type TAuthType = (typeof AUTH_TYPES)[number];

/** Where an environment variable's placeholder is replaced when no location is given. */
export const DEFAULT_INJECTION_LOCATION = { header: true, body: false } as const;

const ZTokenEndpointAuthPublic = z.object({ type: z.enum(["none", "client_secret_basic", "client_secret_post"]) });

export const ZPublicAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("static_bearer"), mcp_server_url: z.string() }),
  z.object({
    type: z.literal("mcp_oauth"),
    mcp_server_url: z.string(),
    expires_at: z.string().nullable(),
    refresh: z
      .object({
        client_id: z.string(),
        token_endpoint: z.string(),
        token_endpoint_auth: ZTokenEndpointAuthPublic,
        scope: z.string().nullable(),
        resource: z.string().nullable(),
      })
      .nullable(),
  }),
  z.object({
    type: z.literal("environment_variable"),
    secret_name: z.string(),
    networking: ZNetworkingSchema,
    injection_location: z.object({ header: z.boolean(), body: z.boolean() }),
  }),
]);
export type TPublicAuth = z.infer<typeof ZPublicAuthSchema>;

export const SECRET_SCHEMAS = {
  static_bearer: z.strictObject({ token: z.string() }),
  mcp_oauth: z.strictObject({ access_token: z.string(), refresh_token: z.string().optional(), client_secret: z.string().optional() }),
  environment_variable: z.strictObject({ secret_value: z.string() }),
} as const;
export type TSecretsOf<T extends TAuthType> = z.infer<(typeof SECRET_SCHEMAS)[T]>;
export type TSecrets = TSecretsOf<TAuthType>;

/** Splits a validated create body into the public part and the secrets. */
export function splitAuthCreate(input: TAuthCreate): { auth: TPublicAuth; secrets: TSecrets } {
  switch (input.type) {
    case "static_bearer":
      return { auth: { type: input.type, mcp_server_url: input.mcp_server_url }, secrets: { token: input.token } };
    case "mcp_oauth": {
      const refresh = input.refresh ?? null;
      const clientSecret = refresh && refresh.token_endpoint_auth.type !== "none" ? refresh.token_endpoint_auth.client_secret : undefined;
      return {
        auth: {
          type: input.type,
          mcp_server_url: input.mcp_server_url,
          expires_at: input.expires_at ?? null,
          refresh: refresh && {
            client_id: refresh.client_id,
            token_endpoint: refresh.token_endpoint,
            token_endpoint_auth: { type: refresh.token_endpoint_auth.type },
            scope: refresh.scope || null,
            resource: refresh.resource ?? null,
          },
        },
        secrets: { access_token: input.access_token, ...(refresh ? { refresh_token: refresh.refresh_token } : {}), ...(clientSecret ? { client_secret: clientSecret } : {}) },
      };
    }
    case "environment_variable": {
      const injection = { ...DEFAULT_INJECTION_LOCATION, ...definedOnly(input.injection_location ?? {}) };
      assertSomeLocation(injection);
      return {
        auth: { type: input.type, secret_name: input.secret_name, networking: input.networking, injection_location: injection },
        secrets: { secret_value: input.secret_value },
      };
    }
  }
}

/**
 * Applies an update to the stored public part. Returns the new public part and the secret fields
 * to replace (empty when no secret changes). Refuses a change of type and of the immutable fields
 * (`mcp_server_url`, `secret_name`, `refresh.client_id`).
 */
export function applyAuthUpdate(current: TPublicAuth, update: TAuthUpdate): { auth: TPublicAuth; secretPatch: Partial<Record<string, string>> } {
  if (update.type !== current.type) {
    throw invalid("auth.type", `the credential is ${current.type}; its type cannot change (create a new credential instead)`);
  }
  if (current.type === "static_bearer" && update.type === "static_bearer") {
    immutable("auth.mcp_server_url", update.mcp_server_url, current.mcp_server_url);
    return { auth: current, secretPatch: update.token ? { token: update.token } : {} };
  }
  if (current.type === "environment_variable" && update.type === "environment_variable") {
    immutable("auth.secret_name", update.secret_name, current.secret_name);
    const injection = { ...current.injection_location, ...definedOnly(update.injection_location ?? {}) };
    assertSomeLocation(injection);
    return {
      auth: { ...current, networking: update.networking ?? current.networking, injection_location: injection },
      secretPatch: update.secret_value ? { secret_value: update.secret_value } : {},
    };
  }
  if (current.type === "mcp_oauth" && update.type === "mcp_oauth") {
    immutable("auth.mcp_server_url", update.mcp_server_url, current.mcp_server_url);
    const secretPatch: Partial<Record<string, string>> = update.access_token ? { access_token: update.access_token } : {};
    let refresh = current.refresh;
    if (update.refresh) {
      if (!refresh) throw invalid("auth.refresh", "the credential has no refresh configuration to update (create a new credential to add one)");
      immutable("auth.refresh.client_id", update.refresh.client_id, refresh.client_id);
      if (update.refresh.refresh_token) secretPatch.refresh_token = update.refresh.refresh_token;
      if (update.refresh.scope !== undefined && update.refresh.scope !== null) refresh = { ...refresh, scope: update.refresh.scope || null };
      const endpointAuth = update.refresh.token_endpoint_auth;
      if (endpointAuth) {
        if (refresh.token_endpoint_auth.type === "none") {
          throw invalid("auth.refresh.token_endpoint_auth", "the credential's token endpoint uses no client authentication, so it has no client secret to replace");
        }
        if (endpointAuth.client_secret) secretPatch.client_secret = endpointAuth.client_secret;
      }
    }
    const expiresAt = update.expires_at === undefined ? current.expires_at : update.expires_at;
    return { auth: { ...current, expires_at: expiresAt, refresh }, secretPatch };
  }
  throw invalid("auth.type", "unknown credential type");
}

function immutable(path: string, sent: string | undefined, stored: string): void {
  if (sent !== undefined && sent !== stored) throw invalid(path, "cannot be changed after the credential is created (create a new credential instead)");
}

function assertSomeLocation(location: { header: boolean; body: boolean }): void {
  if (!location.header && !location.body) throw invalid("auth.injection_location", "at least one of header and body must be true");
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function invalid(path: string, message: string): AppError {
  return new AppError("invalid_request", `${path}: ${message}`, { path });
}
