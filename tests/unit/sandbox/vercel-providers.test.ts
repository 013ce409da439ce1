import { describe, expect, it } from "vitest";
import { defaultConfig, resolveConfig, type TEnvironmentConfig } from "@/lib/environments/environment-config";
import { EnvError, parseEnv, vercelCredentialsOf } from "@/lib/env";
import { createSandboxProviders, type TSandboxProviderSettings } from "@/lib/sandbox/providers";

const BASE: TSandboxProviderSettings = { DATA_DIR: "/nonexistent/oma-test-data", SANDBOX_IDLE_MS: 600_000 };
const VERCEL_CONFIG: TEnvironmentConfig = { ...(defaultConfig() as Extract<TEnvironmentConfig, { type: "cloud" }>), sandbox_provider: "vercel" };
const SECRET = "vercel-secret-token-value-1234";

function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("VERCEL_* in the process environment", () => {
  it("takes an OIDC token, or all three of token, team and project, or none", () => {
    expect(vercelCredentialsOf(parseEnv({}))).toBeNull();
    expect(vercelCredentialsOf(parseEnv({ VERCEL_TOKEN: "", VERCEL_TEAM_ID: "" }))).toBeNull();
    expect(vercelCredentialsOf(parseEnv({ VERCEL_TOKEN: SECRET, VERCEL_TEAM_ID: "team_1", VERCEL_PROJECT_ID: "prj_1" }))).toEqual({
      token: SECRET,
      teamId: "team_1",
      projectId: "prj_1",
    });
    const oidc = ["e30", Buffer.from(JSON.stringify({ owner_id: "team_o", project_id: "prj_o" })).toString("base64url"), "sig"].join(".");
    expect(vercelCredentialsOf(parseEnv({ VERCEL_OIDC_TOKEN: oidc }))).toEqual({ oidcToken: oidc });
  });

  it("stops at boot with one line naming what is missing or wrong, never a value", () => {
    const partial = errorMessage(() => parseEnv({ VERCEL_TOKEN: SECRET, VERCEL_PROJECT_ID: "prj_1" }));
    expect(partial).toBe(
      "Invalid environment: Vercel sandbox credentials are incomplete: VERCEL_TEAM_ID is missing (VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID must be set together)",
    );
    expect(() => parseEnv({ VERCEL_TEAM_ID: "team_1" })).toThrow(EnvError);
    const oidc = errorMessage(() => parseEnv({ VERCEL_OIDC_TOKEN: SECRET }));
    expect(oidc).toBe("Invalid environment: VERCEL_OIDC_TOKEN is not a Vercel OIDC token (expected a JWT with owner_id and project_id claims)");
    for (const message of [partial, oidc]) {
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain("\n");
    }
  });
});

describe("createSandboxProviders", () => {
  it("runs environments on local unless they chose vercel", async () => {
    const providers = createSandboxProviders(BASE);
    try {
      expect(providers.forEnvironment(null).name).toBe("local");
      expect(providers.forEnvironment(defaultConfig()).name).toBe("local");
      expect(providers.forEnvironment({ type: "self_hosted" }).name).toBe("local");
      expect(providers.forEnvironment(resolveConfig({ type: "cloud", sandbox_provider: "local" })).name).toBe("local");
    } finally {
      await providers.shutdown();
    }
  });

  it("fails a vercel environment's provision with a clear error when Vercel is not configured", async () => {
    const providers = createSandboxProviders(BASE);
    try {
      const provider = providers.forEnvironment(VERCEL_CONFIG);
      expect(provider.name).toBe("vercel");
      await expect(provider.provision({ sessionId: "sesn_1" })).rejects.toMatchObject({
        code: "provision_failed",
        message: expect.stringMatching(/not configured on this server: set VERCEL_OIDC_TOKEN, or VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID$/),
      });
    } finally {
      await providers.shutdown();
    }
  });

  it("gives vercel environments the Vercel provider, with the configured credentials and fetch", async () => {
    const sent: Array<{ url: string; authorization: string | null }> = [];
    const vercelFetch: typeof fetch = async (input, init) => {
      sent.push({ url: String(input instanceof Request ? input.url : input), authorization: new Headers(init?.headers).get("authorization") });
      return Response.json({ error: { code: "forbidden", message: "Not authorized" } }, { status: 403 });
    };
    const providers = createSandboxProviders({ ...BASE, VERCEL_TOKEN: SECRET, VERCEL_TEAM_ID: "team_1", VERCEL_PROJECT_ID: "prj_1", vercelFetch });
    try {
      const provider = providers.forEnvironment(VERCEL_CONFIG);
      expect(provider.name).toBe("vercel");
      expect(sent).toEqual([]); // nothing is sent before a provision
      const error = await provider.provision({ sessionId: "sesn_1" }).then(
        () => null,
        (e: unknown) => e as Error & { code: string },
      );
      expect(error).toMatchObject({ code: "provision_failed", message: expect.stringContaining("refused the credentials (HTTP 403)") });
      expect(error?.message).not.toContain(SECRET);
      expect(sent[0]!.url).toMatch(/\/sandboxes\?.*teamId=team_1/);
      expect(sent[0]!.authorization).toBe(`Bearer ${SECRET}`);
      expect(providers.forEnvironment(defaultConfig()).name).toBe("local");
    } finally {
      await providers.shutdown();
    }
  });
});
