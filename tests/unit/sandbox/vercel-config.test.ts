import { describe, expect, it } from "vitest";
import { buildNetworkPolicy, parseVercelCredentials } from "@/lib/sandbox/vercel";
import { toSdkCredentials } from "@/lib/vercel-credentials";
import { credentialHeaderValues } from "@/lib/sandbox/vercel/network-policy";

function oidcToken(claims: Record<string, unknown>): string {
  return ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");
}

describe("parseVercelCredentials", () => {
  it("takes all three of VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID", () => {
    expect(parseVercelCredentials({ VERCEL_TOKEN: "tok", VERCEL_TEAM_ID: "team_1", VERCEL_PROJECT_ID: "prj_1" })).toEqual({
      token: "tok",
      teamId: "team_1",
      projectId: "prj_1",
    });
  });

  it("takes an OIDC token and reads its team and project from the claims", () => {
    const token = oidcToken({ owner_id: "team_o", project_id: "prj_o" });
    const credentials = parseVercelCredentials({ VERCEL_OIDC_TOKEN: token, VERCEL_TOKEN: "" });
    expect(credentials).toEqual({ oidcToken: token });
    expect(toSdkCredentials(credentials)).toEqual({ token, teamId: "team_o", projectId: "prj_o" });
  });

  it("prefers the three explicit variables over an OIDC token", () => {
    const env = {
      VERCEL_OIDC_TOKEN: oidcToken({ owner_id: "team_o", project_id: "prj_o" }),
      VERCEL_TOKEN: "tok",
      VERCEL_TEAM_ID: "team_1",
      VERCEL_PROJECT_ID: "prj_1",
    };
    expect(parseVercelCredentials(env)).toEqual({ token: "tok", teamId: "team_1", projectId: "prj_1" });
  });

  it("names what is missing when nothing is set", () => {
    expect(() => parseVercelCredentials({ VERCEL_TOKEN: " " })).toThrow(
      "Vercel sandbox credentials are missing: set VERCEL_OIDC_TOKEN, or all of VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID",
    );
  });

  it("refuses some but not all of the three, naming the missing ones, even beside an OIDC token", () => {
    const oidc = oidcToken({ owner_id: "team_o", project_id: "prj_o" });
    expect(() => parseVercelCredentials({ VERCEL_TOKEN: "tok", VERCEL_OIDC_TOKEN: oidc })).toThrow(
      /VERCEL_TEAM_ID and VERCEL_PROJECT_ID are missing/,
    );
    expect(() => parseVercelCredentials({ VERCEL_TOKEN: "tok", VERCEL_TEAM_ID: "team_1" })).toThrow(/: VERCEL_PROJECT_ID is missing/);
  });

  it("refuses an OIDC token without the claims, and never echoes a value", () => {
    for (const token of ["not-a-jwt", oidcToken({ owner_id: "team_o" }), "a.%%%.c"]) {
      let message = "";
      try {
        parseVercelCredentials({ VERCEL_OIDC_TOKEN: token });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe("VERCEL_OIDC_TOKEN is not a Vercel OIDC token (expected a JWT with owner_id and project_id claims)");
    }
    let message = "";
    try {
      parseVercelCredentials({ VERCEL_TOKEN: "tok-secret-value", VERCEL_PROJECT_ID: "prj" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("VERCEL_TEAM_ID");
    expect(message).not.toContain("tok-secret-value");
  });
});

describe("buildNetworkPolicy", () => {
  const github = { host: "api.github.com", headers: { Authorization: "Bearer ghp_secret" } };

  it("leaves the policy alone without credential headers", () => {
    expect(buildNetworkPolicy(undefined)).toBeUndefined();
    expect(buildNetworkPolicy("deny-all", [])).toBe("deny-all");
  });

  it("keeps other traffic open under allow-all, with a header rule for each credential host", () => {
    expect(buildNetworkPolicy(undefined, [github])).toEqual({
      allow: { "api.github.com": [{ transform: [{ headers: { authorization: "Bearer ghp_secret" } }] }], "*": [] },
    });
    expect(buildNetworkPolicy("allow-all", [github])).toEqual(buildNetworkPolicy(undefined, [github]));
  });

  it("opens only the credential hosts under deny-all", () => {
    expect(buildNetworkPolicy("deny-all", [github])).toEqual({
      allow: { "api.github.com": [{ transform: [{ headers: { authorization: "Bearer ghp_secret" } }] }] },
    });
  });

  it("adds the credential hosts to an allow list, keeping its subnets", () => {
    const base = { allow: ["registry.npmjs.org"], subnets: { deny: ["10.0.0.0/8"] } };
    expect(buildNetworkPolicy(base, [github, { host: "API.github.com", headers: { "X-Api-Version": "2022-11-28" } }])).toEqual({
      allow: {
        "registry.npmjs.org": [],
        "api.github.com": [{ transform: [{ headers: { authorization: "Bearer ghp_secret", "x-api-version": "2022-11-28" } }] }],
      },
      subnets: { deny: ["10.0.0.0/8"] },
    });
  });

  it("refuses a host whose own rules would race the header rule, and malformed entries", () => {
    const base = { allow: { "api.github.com": [{ response: { statusCode: 403 } }] } };
    expect(() => buildNetworkPolicy(base, [github])).toThrow(/conflict with the network policy's own rules/);
    expect(() => buildNetworkPolicy(undefined, [{ host: "https://x.com/", headers: { a: "b" } }])).toThrow(/not a host name/);
    expect(() => buildNetworkPolicy(undefined, [{ host: "x.com", headers: {} }])).toThrow(/no headers given/);
    expect(() => buildNetworkPolicy(undefined, [{ host: "x.com", headers: { "bad header": "v" } }])).toThrow(/not a header name/);
    expect(() => buildNetworkPolicy(undefined, [github, { ...github, host: "API.GITHUB.COM" }])).toThrow(/set twice/);
  });

  it("puts per-host extra rules (placeholder matches) before the credential header rule", () => {
    const placeholderRule = { match: { headers: [{ key: { exact: "x-api-key" }, value: { exact: "oma_egress_placeholder0001" } }] }, transform: [{ headers: { "x-api-key": "v" } }] };
    expect(buildNetworkPolicy({ allow: ["api.github.com", "pypi.org"] }, [github], new Map([["api.github.com", [placeholderRule]]]))).toEqual({
      allow: {
        "api.github.com": [placeholderRule, { transform: [{ headers: { authorization: "Bearer ghp_secret" } }] }],
        "pypi.org": [],
      },
    });
    expect(buildNetworkPolicy("allow-all", [], new Map([["*", [placeholderRule]]]))).toEqual({ allow: { "*": [placeholderRule] } });
    expect(buildNetworkPolicy("deny-all", [], new Map([["x.com", []]]))).toBe("deny-all");
  });

  it("lists the secret parts of header values for leak checks", () => {
    expect(credentialHeaderValues([github, { host: "x.com", headers: { "x-version": "1" } }])).toEqual(["Bearer ghp_secret", "ghp_secret"]);
  });
});
