import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("REDIS_URL", () => {
  it("is optional, and empty counts as unset", () => {
    expect(parseEnv({}).REDIS_URL).toBeUndefined();
    expect(parseEnv({ REDIS_URL: "" }).REDIS_URL).toBeUndefined();
  });

  it("accepts redis:// and rediss:// URLs", () => {
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(parseEnv({ REDIS_URL: "rediss://user:pw@cache.internal:6380/2" }).REDIS_URL).toBe("rediss://user:pw@cache.internal:6380/2");
  });

  it("refuses anything else with one line that never shows the value", () => {
    expect(() => parseEnv({ REDIS_URL: "http://user:hunter2@cache" })).toThrow(
      /^Invalid environment: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL with a host$/,
    );
  });
});
