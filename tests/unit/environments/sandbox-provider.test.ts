import { describe, expect, it } from "vitest";
import { parseBody } from "@/lib/resource/metadata";
import { checkSandboxProvider, configuredSandboxProviders } from "@/lib/environments/check-sandbox-provider";
import { configFromJson, defaultConfig, resolveConfig, sandboxProviderOf, type TEnvironmentConfig } from "@/lib/environments/environment-config";
import { ZEnvironmentCreateSchema, ZEnvironmentUpdateSchema } from "@/lib/environments/schemas";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** The platform extension `config.sandbox_provider`: parsed, merged, stored, and checked against what the server can run. */
const create = (config: unknown) => resolveConfig(parseBody(ZEnvironmentCreateSchema, { name: "e", config }).config);
const update = (config: unknown, stored: TEnvironmentConfig) => resolveConfig(parseBody(ZEnvironmentUpdateSchema, { config }).config, stored);

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("config.sandbox_provider", () => {
  it("defaults to local, which is left out of the config so it keeps the API's shape", () => {
    expect(create(undefined)).toEqual(defaultConfig());
    expect(create({ type: "cloud", sandbox_provider: "local" })).toEqual(defaultConfig());
    expect(create({ type: "cloud", sandbox_provider: null })).toEqual(defaultConfig());
    expect(sandboxProviderOf(defaultConfig())).toBe("local");
    expect(sandboxProviderOf(null)).toBe("local");
    expect(sandboxProviderOf({ type: "self_hosted" })).toBe("local");
  });

  it("stores and returns vercel, and keeps it through updates that do not mention it", () => {
    const vercel = create({ type: "cloud", sandbox_provider: "vercel", networking: { type: "limited", allowed_hosts: ["pypi.org"] } });
    expect(vercel).toMatchObject({ type: "cloud", sandbox_provider: "vercel", networking: { type: "limited", allowed_hosts: ["pypi.org"] } });
    expect(sandboxProviderOf(vercel)).toBe("vercel");
    expect(configFromJson(JSON.parse(JSON.stringify(vercel)))).toEqual(vercel);
    expect(update({ type: "cloud", packages: { pip: ["x"] }, networking: { type: "unrestricted" } }, vercel)).toMatchObject({ sandbox_provider: "vercel" });
    expect(update({ type: "cloud", sandbox_provider: null }, vercel)).not.toHaveProperty("sandbox_provider");
    const { sandbox_provider: _chosen, ...onLocal } = vercel as Extract<TEnvironmentConfig, { type: "cloud" }>;
    expect(update({ type: "cloud", sandbox_provider: "local" }, vercel)).toEqual(onLocal);
    expect(configFromJson({ ...vercel, sandbox_provider: "something-else" })).not.toHaveProperty("sandbox_provider");
  });

  it("refuses other values with a 400 naming the field, and on self-hosted configs", () => {
    const bad = errorOf(() => create({ type: "cloud", sandbox_provider: "docker" }));
    expect(bad.code).toBe("invalid_request");
    expect(bad.message).toMatch(/^config\.sandbox_provider: must be "local" or "vercel"/);
    expect(errorOf(() => create({ type: "self_hosted", sandbox_provider: "vercel" })).message).toMatch(/sandbox_provider/);
  });
});

describe("checkSandboxProvider", () => {
  const vercel = create({ type: "cloud", sandbox_provider: "vercel" });

  it("refuses choosing a provider the server does not run, naming the field and the variables", () => {
    const error = errorOf(() => checkSandboxProvider(vercel, undefined, ["local"]));
    expect(error).toMatchObject({ code: "invalid_request", details: { path: "config.sandbox_provider", errorCode: "sandbox_provider_unavailable" } });
    expect(error.message).toBe(
      "config.sandbox_provider: the vercel sandbox provider is not configured on this server (it needs VERCEL_OIDC_TOKEN, or VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID)",
    );
    expect(errorOf(() => checkSandboxProvider(vercel, defaultConfig(), ["local"])).details?.path).toBe("config.sandbox_provider");
  });

  it("accepts it when configured, local always, and an environment that already had it", () => {
    expect(() => checkSandboxProvider(vercel, undefined, ["local", "vercel"])).not.toThrow();
    expect(() => checkSandboxProvider(defaultConfig(), vercel, ["local"])).not.toThrow();
    expect(() => checkSandboxProvider(vercel, vercel, ["local"])).not.toThrow();
  });

  it("reads what the server runs from its environment", () => {
    expect(configuredSandboxProviders(parseEnv({}))).toEqual(["local"]);
    expect(configuredSandboxProviders(parseEnv({ VERCEL_TOKEN: "t", VERCEL_TEAM_ID: "team", VERCEL_PROJECT_ID: "prj" }))).toEqual(["local", "vercel"]);
  });
});
