import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const env = parseEnv({ PORT: "", DATABASE_URL: "" });
    expect(env).toMatchObject({ PORT: 3000, HOST: "0.0.0.0", DATA_DIR: "./.data", MIGRATE_ON_BOOT: true, MIGRATE_LOCK_TIMEOUT_MS: 120_000, HARNESS_SHUTDOWN_GRACE_MS: 5_000, LOG_LEVEL: "info", FILES_MAX_BYTES: 524_288_000, WORK_ITEM_TTL_SECONDS: 300 });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(parseEnv({ DEFAULT_MODEL: "" }).DEFAULT_MODEL).toBe("claude-sonnet-4-5");
    expect(parseEnv({ DEFAULT_MODEL: "claude-opus-4-1" }).DEFAULT_MODEL).toBe("claude-opus-4-1");
  });

  it("parses values", () => {
    const env = parseEnv({ PORT: "8080", MIGRATE_ON_BOOT: "false", MIGRATE_LOCK_TIMEOUT_MS: "5000", DATABASE_URL: "postgresql://u:p@db:5432/oma", DATABASE_POOL_SIZE: "20", FILES_MAX_BYTES: "1048576" });
    expect(env).toMatchObject({ PORT: 8080, MIGRATE_ON_BOOT: false, MIGRATE_LOCK_TIMEOUT_MS: 5000, DATABASE_URL: "postgresql://u:p@db:5432/oma", DATABASE_POOL_SIZE: 20, FILES_MAX_BYTES: 1_048_576 });
  });

  it.each([
    [{ PORT: "abc" }, 'Invalid environment: PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ PORT: "70000" }, 'Invalid environment: PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ PORT: "-1" }, 'Invalid environment: PORT must be an integer between 0 and 65535 (got "-1")'],
    [{ MIGRATE_ON_BOOT: "yes" }, 'Invalid environment: MIGRATE_ON_BOOT must be true or false (got "yes")'],
    [{ MIGRATE_LOCK_TIMEOUT_MS: "2m" }, 'Invalid environment: MIGRATE_LOCK_TIMEOUT_MS must be an integer between 1000 and 3600000 (milliseconds) (got "2m")'],
    [{ MIGRATE_LOCK_TIMEOUT_MS: "0" }, 'Invalid environment: MIGRATE_LOCK_TIMEOUT_MS must be an integer between 1000 and 3600000 (milliseconds) (got "0")'],
    [{ HARNESS_SHUTDOWN_GRACE_MS: "5s" }, 'Invalid environment: HARNESS_SHUTDOWN_GRACE_MS must be an integer between 0 and 600000 (milliseconds) (got "5s")'],
    [{ FILES_MAX_BYTES: "500MB" }, 'Invalid environment: FILES_MAX_BYTES must be a positive integer (bytes) (got "500MB")'],
    [{ FILES_MAX_BYTES: "0" }, 'Invalid environment: FILES_MAX_BYTES must be a positive integer (bytes) (got "0")'],
    [{ WORK_ITEM_TTL_SECONDS: "4" }, 'Invalid environment: WORK_ITEM_TTL_SECONDS must be an integer between 5 and 3600 (seconds) (got "4")'],
    [{ FILES_S3_BUCKET: "My_Bucket" }, 'Invalid environment: FILES_S3_BUCKET must be an S3 bucket name (3–63 lowercase letters, digits, dots and hyphens) (got "My_Bucket")'],
    [{ FILES_S3_ENDPOINT: "minio:9000" }, 'Invalid environment: FILES_S3_ENDPOINT must be an http:// or https:// URL (got "minio:9000")'],
    [{ LOG_LEVEL: "loud" }, 'Invalid environment: LOG_LEVEL must be debug, info, warn or error (got "loud")'],
    [{ ANTHROPIC_BASE_URL: "ftp://x" }, 'Invalid environment: ANTHROPIC_BASE_URL must be an http:// or https:// URL (got "ftp://x")'],
    [{ DEFAULT_MODEL: "claude sonnet" }, 'Invalid environment: DEFAULT_MODEL must be a model id: 1 to 256 printable characters without spaces (got "claude sonnet")'],
  ])("names the variable in one line for %o", (source, message) => {
    expect(() => parseEnv(source)).toThrow(new EnvError(message));
  });

  it("reads WEBHOOKS_ALLOW_PRIVATE as none, all, or a list of IP addresses", () => {
    expect(parseEnv({}).WEBHOOKS_ALLOW_PRIVATE).toEqual({ all: false, addresses: [] });
    expect(parseEnv({ WEBHOOKS_ALLOW_PRIVATE: "true" }).WEBHOOKS_ALLOW_PRIVATE).toEqual({ all: true, addresses: [] });
    expect(parseEnv({ WEBHOOKS_ALLOW_PRIVATE: "127.0.0.1, ::1" }).WEBHOOKS_ALLOW_PRIVATE).toEqual({ all: false, addresses: ["127.0.0.1", "::1"] });
    expect(() => parseEnv({ WEBHOOKS_ALLOW_PRIVATE: "localhost" })).toThrow(
      new EnvError('Invalid environment: WEBHOOKS_ALLOW_PRIVATE must be true, false or a comma-separated list of IP addresses (got "localhost")'),
    );
  });

  it("never echoes a database URL, which may hold a password", () => {
    let message = "";
    try {
      parseEnv({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe("Invalid environment: DATABASE_URL must be a postgres:// or postgresql:// URL with a host");
    expect(message).not.toContain("hunter2");
  });
});
