import { describe, expect, it } from "vitest";
import { parseBody } from "@/lib/resource/metadata";
import { configFromJson, defaultConfig, resolveConfig, type TEnvironmentConfig } from "@/lib/environments/environment-config";
import { ZEnvironmentCreateSchema } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";

const resolve = (config: unknown, stored?: TEnvironmentConfig) => resolveConfig(parseBody(ZEnvironmentCreateSchema, { name: "e", config }).config, stored);

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const EMPTY = { type: "packages", apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] };

describe("environment config", () => {
  it("defaults to a cloud config with unrestricted networking and no packages", () => {
    expect(resolveConfig(undefined)).toEqual({ type: "cloud", networking: { type: "unrestricted" }, packages: EMPTY });
    expect(resolveConfig(null)).toEqual(defaultConfig());
    expect(resolve({ type: "cloud", packages: { pip: ["requests==2.32.0"] } })).toEqual({
      type: "cloud",
      networking: { type: "unrestricted" },
      packages: { ...EMPTY, pip: ["requests==2.32.0"] },
    });
    expect(resolve({ type: "self_hosted" })).toEqual({ type: "self_hosted" });
    expect(resolve({ type: "cloud", networking: { type: "limited" } })).toMatchObject({
      networking: { type: "limited", allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false },
    });
  });

  it("merges an update into the stored config: omitted kept, null reset", () => {
    const stored = resolve({ type: "cloud", networking: { type: "limited", allowed_hosts: ["example.com"], allow_package_managers: true }, packages: { npm: ["left-pad"], apt: ["jq"] } });
    expect(resolve({ type: "cloud", packages: { apt: null } }, stored)).toEqual({
      type: "cloud",
      networking: { type: "limited", allowed_hosts: ["example.com"], allow_mcp_servers: false, allow_package_managers: true },
      packages: { ...EMPTY, npm: ["left-pad"] },
    });
    expect(resolve({ type: "cloud", networking: { type: "limited", allow_mcp_servers: true } }, stored)).toMatchObject({
      networking: { allowed_hosts: ["example.com"], allow_mcp_servers: true, allow_package_managers: true },
    });
    expect(resolve({ type: "cloud", networking: null, packages: null }, stored)).toEqual(defaultConfig());
  });

  it("refuses to change the config type, with error_code invalid_config_type_change", () => {
    const error = errorOf(() => resolve({ type: "self_hosted" }, defaultConfig()));
    expect(error.details?.errorCode).toBe("invalid_config_type_change");
    expect(errorOf(() => resolve({ type: "cloud" }, { type: "self_hosted" })).details?.errorCode).toBe("invalid_config_type_change");
  });

  it("needs allow_package_managers for packages under limited networking", () => {
    expect(errorOf(() => resolve({ type: "cloud", networking: { type: "limited" }, packages: { pip: ["x"] } })).message).toMatch(/^config\.packages: .*allow_package_managers/);
  });

  it("refuses package names that a shell or a package manager would misread", () => {
    for (const name of ["x; rm -rf /", "$(id)", "-o=evil", "a b", "`id`"]) {
      expect(errorOf(() => resolve({ type: "cloud", packages: { apt: [name] } })).message).toMatch(/^config\.packages\.apt\[0\]:/);
    }
    for (const name of ["@scope/pkg@1.2.3", "requests[socks]>=2", "github.com/x/y@v1.0.0", "libssl-dev=3.0"]) {
      expect(() => resolve({ type: "cloud", packages: { npm: [name] } })).not.toThrow();
    }
  });

  it("reads stored configs with missing parts filled in", () => {
    expect(configFromJson({ type: "cloud" })).toEqual(defaultConfig());
    expect(configFromJson({ type: "self_hosted" })).toEqual({ type: "self_hosted" });
    expect(configFromJson({ type: "cloud", networking: { type: "limited", allowed_hosts: ["a.b"] }, packages: { pip: ["x"] } })).toEqual({
      type: "cloud",
      networking: { type: "limited", allowed_hosts: ["a.b"], allow_mcp_servers: false, allow_package_managers: false },
      packages: { ...EMPTY, pip: ["x"] },
    });
  });
});
