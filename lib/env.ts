import "server-only";
import { isIP } from "node:net";
import { z } from "zod";
import { parseVercelCredentials, type VercelCredentials } from "@/lib/vercel-credentials";

/**
 * The process environment, parsed once at boot. Empty strings count as unset (so `FOO=` in a .env
 * file falls back to the default). A wrong value stops the server with one line naming the variable:
 * `Invalid environment: PORT must be an integer between 0 and 65535 (got "abc")`.
 * Every variable is documented in README.md's configuration table.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const ZBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const ZPostgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
}, "must be a postgres:// or postgresql:// URL with a host");

const ZRedisUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}, "must be a redis:// or rediss:// URL with a host");

export const ZEnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(["development", "production", "test"]).default("development")),
  /** 0: any free port, which the "ready on" line then names. */
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("0.0.0.0")),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default("./.data")),
  DATABASE_URL: optional(ZPostgresUrl),
  REDIS_URL: optional(ZRedisUrl),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(500).default(10)),
  MIGRATE_ON_BOOT: z.preprocess(emptyAsUndefined, ZBoolean.default(true)),
  /** How long a booting process waits for another one's migrations before it stops with an error. */
  MIGRATE_LOCK_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(3_600_000).default(120_000)),
  ANTHROPIC_API_KEY: optional(z.string().min(1)),
  ANTHROPIC_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
  HARNESS_IN_PROCESS: z.preprocess(emptyAsUndefined, ZBoolean.default(true)),
  HARNESS_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(100)),
  HARNESS_LEASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(500).max(600_000).default(15_000)),
  /** On SIGTERM, how long a model call in flight may take to finish before it is cut (tool calls are handed over at once). */
  HARNESS_SHUTDOWN_GRACE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(600_000).default(5_000)),
  /** The largest file `POST /v1/files` accepts, in bytes (default 500 MiB); a larger upload is a 413 and nothing is stored. */
  FILES_MAX_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(500 * 1024 * 1024)),
  // uploaded files in S3 or an S3-compatible store instead of DATA_DIR/files (credentials: the AWS SDK's default chain)
  FILES_S3_BUCKET: optional(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  FILES_S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().max(512).regex(/^[\x21-\x7e]*$/).default("files/")),
  FILES_S3_REGION: z.preprocess(emptyAsUndefined, z.string().min(1).max(64).default("us-east-1")),
  FILES_S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  FILES_S3_FORCE_PATH_STYLE: z.preprocess(emptyAsUndefined, ZBoolean.default(false)),
  /** The largest skill version `POST /v1/skills` accepts (all its files together), in bytes (default 4 MiB); larger is a 413. */
  SKILLS_MAX_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024)),
  // the lease of a self-hosted environment's work item (seconds): a worker that stops heartbeating loses it after this long
  WORK_ITEM_TTL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(5).max(3_600).default(300)),
  /** How often each worker (and a web server running the in-process harness) looks for deployments whose scheduled tick is due. */
  DEPLOYMENT_SCHEDULER_INTERVAL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(3_600_000).default(5_000)),
  SANDBOX_IDLE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).default(600_000)),
  SANDBOX_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** The model a new agent starts with in the web app (any Messages API model id). */
  DEFAULT_MODEL: z.preprocess(emptyAsUndefined, z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/).default("claude-sonnet-4-5")),
  /** Let the egress proxy connect to loopback and private addresses (tests, trusted internal hosts). Off: sandboxes never reach this machine or its network. */
  EGRESS_ALLOW_PRIVATE_ADDRESSES: z.preprocess(emptyAsUndefined, ZBoolean.default(false)),
  BOOTSTRAP_API_KEY: optional(z.string().min(20).max(256).regex(/^[\x21-\x7e]+$/)),
  /** Parsed and checked by lib/vault/vault-keys.ts (base64 or hex of 32 bytes); listed here so it is documented and never echoed. */
  VAULT_KEY: optional(z.string().min(1)),
  VAULT_KEY_PREVIOUS: optional(z.string().min(1)),
  NEXTAUTH_SECRET: optional(z.string().min(32)),
  NEXTAUTH_URL: optional(z.url({ protocol: /^https?$/ })),
  API_RATE_LIMIT_RPS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(100)),
  API_RATE_LIMIT_BURST: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(200)),
  /**
   * Credentials of the Vercel Sandbox provider: an OIDC token, or all three of VERCEL_TOKEN,
   * VERCEL_TEAM_ID and VERCEL_PROJECT_ID (checked together in parseEnv). None: no vercel provider.
   */
  VERCEL_OIDC_TOKEN: optional(z.string().min(1)),
  VERCEL_TOKEN: optional(z.string().min(1)),
  VERCEL_TEAM_ID: optional(z.string().min(1)),
  VERCEL_PROJECT_ID: optional(z.string().min(1)),
  /** Turns on metrics, served as Prometheus text at /metrics to requests bearing this token. */
  METRICS_TOKEN: optional(z.string().min(20).max(256).regex(/^[\x21-\x7e]+$/)),
  /**
   * `npm run worker` only: the port on which the worker serves its own metrics (`GET /metrics`,
   * behind METRICS_TOKEN, which it needs); 0 picks a free port (logged). The web server serves
   * its metrics on its own port.
   */
  METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  /**
   * Webhooks to loopback and private addresses: `false` (default: refused), `true` (any), or a
   * comma-separated list of the IP addresses allowed (`127.0.0.1`: a receiver on this machine).
   */
  WEBHOOKS_ALLOW_PRIVATE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("false")
      .transform((value, ctx) => {
        const text = value.trim();
        if (text === "false" || text === "0") return { all: false, addresses: [] as string[] };
        if (text === "true" || text === "1") return { all: true, addresses: [] as string[] };
        const addresses = text.split(",").map((a) => a.trim()).filter((a) => a !== "");
        if (addresses.length === 0 || addresses.some((a) => isIP(a) === 0)) {
          ctx.addIssue({ code: "custom", message: "must be true, false or a comma-separated list of IP addresses" });
          return z.NEVER;
        }
        return { all: false, addresses };
      }),
  ),
  /** How long one webhook attempt may take before it counts as failed. */
  WEBHOOKS_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  /** The wait after a webhook's first failed attempt; each later one is 3 times longer (at most 6 h). */
  WEBHOOKS_RETRY_BASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(3_600_000).default(10_000)),
  /** Attempts of a webhook delivery in all before it is marked failed. */
  WEBHOOKS_MAX_ATTEMPTS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(20).default(8)),
  /** How often the webhook outbox is looked at when nothing was due. */
  WEBHOOKS_POLL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(60_000).default(1_000)),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

const DESCRIPTIONS: Partial<Record<keyof TEnv, string>> = {
  PORT: "must be an integer between 0 and 65535",
  DATABASE_POOL_SIZE: "must be an integer between 1 and 500",
  REDIS_URL: "must be a redis:// or rediss:// URL with a host",
  MIGRATE_ON_BOOT: "must be true or false",
  MIGRATE_LOCK_TIMEOUT_MS: "must be an integer between 1000 and 3600000 (milliseconds)",
  NODE_ENV: "must be development, production or test",
  LOG_LEVEL: "must be debug, info, warn or error",
  ANTHROPIC_BASE_URL: "must be an http:// or https:// URL",
  HARNESS_IN_PROCESS: "must be true or false",
  HARNESS_CONCURRENCY: "must be an integer between 1 and 10000",
  HARNESS_LEASE_MS: "must be an integer between 500 and 600000 (milliseconds)",
  HARNESS_SHUTDOWN_GRACE_MS: "must be an integer between 0 and 600000 (milliseconds)",
  FILES_MAX_BYTES: "must be a positive integer (bytes)",
  FILES_S3_BUCKET: "must be an S3 bucket name (3–63 lowercase letters, digits, dots and hyphens)",
  FILES_S3_PREFIX: "must be at most 512 printable characters without spaces",
  FILES_S3_ENDPOINT: "must be an http:// or https:// URL",
  FILES_S3_FORCE_PATH_STYLE: "must be true or false",
  SKILLS_MAX_BYTES: "must be an integer between 1024 and 268435456 (bytes)",
  WORK_ITEM_TTL_SECONDS: "must be an integer between 5 and 3600 (seconds)",
  DEPLOYMENT_SCHEDULER_INTERVAL_MS: "must be an integer between 100 and 3600000 (milliseconds)",
  SANDBOX_IDLE_MS: "must be an integer of at least 1000 (milliseconds)",
  EGRESS_ALLOW_PRIVATE_ADDRESSES: "must be true or false",
  BOOTSTRAP_API_KEY: "must be 20 to 256 printable characters without spaces",
  NEXTAUTH_SECRET: "must be at least 32 characters (e.g. openssl rand -base64 32)",
  NEXTAUTH_URL: "must be the app's public http:// or https:// URL",
  API_RATE_LIMIT_RPS: "must be a positive integer (requests per second per API key)",
  API_RATE_LIMIT_BURST: "must be a positive integer",
  DEFAULT_MODEL: "must be a model id: 1 to 256 printable characters without spaces",
  METRICS_TOKEN: "must be 20 to 256 printable characters without spaces",
  METRICS_PORT: "must be an integer between 0 and 65535",
  WEBHOOKS_ALLOW_PRIVATE: "must be true, false or a comma-separated list of IP addresses",
  WEBHOOKS_TIMEOUT_MS: "must be an integer between 100 and 120000 (milliseconds)",
  WEBHOOKS_RETRY_BASE_MS: "must be an integer between 10 and 3600000 (milliseconds)",
  WEBHOOKS_MAX_ATTEMPTS: "must be an integer between 1 and 20",
  WEBHOOKS_POLL_MS: "must be an integer between 10 and 60000 (milliseconds)",
};

export function parseEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const parsed = ZEnvSchema.safeParse(source);
  if (parsed.success) {
    try {
      vercelCredentialsOf(parsed.data); // all three or none, and a well-formed OIDC token: at boot, not on the first tool call
    } catch (error) {
      throw new EnvError(`Invalid environment: ${(error as Error).message}`); // names variables, never values
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]) as keyof TEnv;
  const raw = source[name];
  const secret = ["ANTHROPIC_API_KEY", "DATABASE_URL", "REDIS_URL", "BOOTSTRAP_API_KEY", "VAULT_KEY", "VAULT_KEY_PREVIOUS", "NEXTAUTH_SECRET", "VERCEL_OIDC_TOKEN", "VERCEL_TOKEN", "METRICS_TOKEN"].includes(name);
  const shown = secret ? "" : ` (got ${JSON.stringify(raw)})`;
  throw new EnvError(`Invalid environment: ${name} ${DESCRIPTIONS[name] ?? issue.message}${shown}`);
}

/**
 * The Vercel Sandbox credentials the environment holds, or null when it holds none (then no
 * environment can choose the vercel provider). Throws, naming the variables only, when they are
 * incomplete; `parseEnv` has already checked that at boot.
 */
export function vercelCredentialsOf(env: Pick<TEnv, "VERCEL_OIDC_TOKEN" | "VERCEL_TOKEN" | "VERCEL_TEAM_ID" | "VERCEL_PROJECT_ID">): VercelCredentials | null {
  const names = ["VERCEL_OIDC_TOKEN", "VERCEL_TOKEN", "VERCEL_TEAM_ID", "VERCEL_PROJECT_ID"] as const;
  if (names.every((name) => !env[name])) return null;
  return parseVercelCredentials(env);
}

let cached: TEnv | undefined;

/** The environment of this process, parsed on first use. */
export function getEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
