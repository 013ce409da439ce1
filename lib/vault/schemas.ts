import { z } from "zod";
import { ZMetadataPatchSchema, ZMetadataSchema } from "@/lib/resource/metadata";

/**
 * Request schemas of the vault and credential endpoints (reference §2.8). Strict: an unknown field
 * is a 400 naming it. Messages never quote a submitted value (it may be a secret).
 */
const notBlank = (s: string) => s.trim().length > 0;
export const ZDisplayName = z.string().max(255, "at most 255 characters").refine(notBlank, "must not be empty");

export const ZVaultCreateSchema = z.strictObject({ display_name: ZDisplayName, metadata: ZMetadataSchema.optional() });
/** `display_name: null` keeps the name (a vault always has one); metadata is a patch. */
export const ZVaultUpdateSchema = z.strictObject({ display_name: ZDisplayName.nullish(), metadata: ZMetadataPatchSchema.nullish() });

// ── Field types ─────────────────────────────────────────────────────────────────────────────────

const ZHttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2048, "at most 2048 characters")
  .refine((value) => !/^[a-z]+:\/\/[^/?#]*@/i.test(value), "must not contain a user name or password (put secrets in the secret fields)");

/** A secret sent in an HTTP header: no line breaks or other control characters. */
const ZHeaderSecret = z
  .string()
  .min(1, "must not be empty")
  .max(16_384, "at most 16384 characters")
  .refine((s) => !/[\x00-\x1f\x7f]/.test(s), "must not contain line breaks or other control characters");

const ZSecretValue = z.string().min(1, "must not be empty").max(65_536, "at most 65536 characters");

const ZFutureTimestamp = z
  .iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp such as 2030-01-01T00:00:00Z" })
  .refine((s) => Date.parse(s) > Date.now(), "must be in the future")
  .transform((s) => new Date(s).toISOString());

export const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ZSecretName = z.string().max(128, "at most 128 characters").regex(SECRET_NAME, "must be an environment variable name: A-Z, 0-9 and _, not starting with a digit");

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A bare hostname, an IPv4 address or a `*.` wildcard; no scheme, port, path or IPv6. Lowercased. */
export function isAllowedHost(host: string): boolean {
  if (host.length > 253) return false;
  if (/^[\d.]+$/.test(host)) return IPV4.test(host);
  return HOSTNAME.test(host) && !(host.startsWith("*.") && /^[\d.]+$/.test(host.slice(2)));
}

export const MAX_ALLOWED_HOSTS = 16;
const ZHost = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine(isAllowedHost, "must be a hostname (api.example.com), an IPv4 address or a wildcard (*.example.com), without scheme, port or path");

export const ZNetworkingSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("unrestricted") }),
  z.strictObject({
    type: z.literal("limited"),
    allowed_hosts: z
      .array(ZHost)
      .min(1, "at least one host")
      .max(MAX_ALLOWED_HOSTS, `at most ${MAX_ALLOWED_HOSTS} hosts`)
      .transform((hosts) => [...new Set(hosts)]),
  }),
]);

const ZInjectionLocation = z.strictObject({ header: z.boolean().optional(), body: z.boolean().optional() });

const ZClientSecret = ZHeaderSecret;
const ZTokenEndpointAuth = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("none") }),
  z.strictObject({ type: z.literal("client_secret_basic"), client_secret: ZClientSecret }),
  z.strictObject({ type: z.literal("client_secret_post"), client_secret: ZClientSecret }),
]);
const ZClientId = z.string().min(1, "must not be empty").max(512, "at most 512 characters").refine((s) => !/[\x00-\x1f\x7f]/.test(s), "must not contain control characters");
const ZScope = z.string().max(2048, "at most 2048 characters");
const ZResource = z.url({ error: "must be an absolute URI" }).max(2048, "at most 2048 characters");

// ── Create ──────────────────────────────────────────────────────────────────────────────────────

export const ZAuthCreateSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("static_bearer"), mcp_server_url: ZHttpUrl, token: ZHeaderSecret }),
  z.strictObject({
    type: z.literal("mcp_oauth"),
    mcp_server_url: ZHttpUrl,
    access_token: ZHeaderSecret,
    expires_at: ZFutureTimestamp.nullish(),
    refresh: z
      .strictObject({
        client_id: ZClientId,
        refresh_token: ZHeaderSecret,
        token_endpoint: ZHttpUrl,
        token_endpoint_auth: ZTokenEndpointAuth,
        scope: ZScope.nullish(),
        resource: ZResource.nullish(),
      })
      .nullish(),
  }),
  z.strictObject({
    type: z.literal("environment_variable"),
    secret_name: ZSecretName,
    secret_value: ZSecretValue,
    networking: ZNetworkingSchema,
    injection_location: ZInjectionLocation.optional(),
  }),
]);

export const ZCredentialCreateSchema = z.strictObject({
  auth: ZAuthCreateSchema,
  display_name: ZDisplayName.nullish(),
  metadata: ZMetadataSchema.optional(),
});

// ── Update: the same type; immutable fields may be repeated unchanged; null keeps a secret ───────

export const ZAuthUpdateSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("static_bearer"), mcp_server_url: z.string().optional(), token: ZHeaderSecret.nullish() }),
  z.strictObject({
    type: z.literal("mcp_oauth"),
    mcp_server_url: z.string().optional(),
    access_token: ZHeaderSecret.nullish(),
    expires_at: ZFutureTimestamp.nullish(),
    refresh: z
      .strictObject({
        client_id: z.string().optional(),
        refresh_token: ZHeaderSecret.nullish(),
        scope: ZScope.nullish(),
        token_endpoint_auth: z
          .strictObject({ type: z.enum(["client_secret_basic", "client_secret_post"]), client_secret: ZClientSecret.nullish() })
          .optional(),
      })
      .nullish(),
  }),
  z.strictObject({
    type: z.literal("environment_variable"),
    secret_name: z.string().optional(),
    secret_value: ZSecretValue.nullish(),
    networking: ZNetworkingSchema.nullish(),
    injection_location: ZInjectionLocation.optional(),
  }),
]);

/** `display_name: null` clears the credential's name; metadata is a patch. */
export const ZCredentialUpdateSchema = z.strictObject({
  auth: ZAuthUpdateSchema.optional(),
  display_name: ZDisplayName.nullish(),
  metadata: ZMetadataPatchSchema.nullish(),
});

export type TAuthCreate = z.infer<typeof ZAuthCreateSchema>;
export type TAuthUpdate = z.infer<typeof ZAuthUpdateSchema>;
export type TNetworking = z.infer<typeof ZNetworkingSchema>;
