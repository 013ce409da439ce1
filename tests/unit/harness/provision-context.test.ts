import { describe, expect, it } from "vitest";
import { PACKAGE_MANAGER_HOSTS, mcpServerHosts, sandboxPlanFrom } from "@/lib/harness/provision-context";
import type { TEnvironmentConfig } from "@/lib/environments/environment-config";
import type { TCredentialWithSecrets } from "@/lib/vault/load-credential-secrets";

const packages = { type: "packages" as const, apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] };
const limited = (extra: { mcp?: boolean; pkg?: boolean } = {}): TEnvironmentConfig => ({
  type: "cloud",
  networking: { type: "limited", allowed_hosts: ["api.example.com"], allow_mcp_servers: extra.mcp ?? false, allow_package_managers: extra.pkg ?? false },
  packages,
});
const agent = { mcp_servers: [{ type: "url", name: "docs", url: "https://mcp.example.org/sse" }, { type: "url", name: "bad", url: "not a url" }] };

const envVar = (id: string, name: string, value: string): TCredentialWithSecrets => ({
  id,
  vaultId: "vlt_1",
  type: "environment_variable",
  auth: { type: "environment_variable", secret_name: name, networking: { type: "limited", allowed_hosts: ["api.example.com"] }, injection_location: { header: true, body: false } },
  secrets: { secret_value: value },
});
const credentials: TCredentialWithSecrets[] = [
  envVar("vcrd_1", "API_KEY", "sk-real-env-value-1"),
  envVar("vcrd_2", "API_KEY", "sk-shadowed-value-2"),
  { id: "vcrd_3", vaultId: "vlt_1", type: "static_bearer", auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.org/sse" }, secrets: { token: "bearer-token-333" } },
  {
    id: "vcrd_4",
    vaultId: "vlt_1",
    type: "mcp_oauth",
    auth: { type: "mcp_oauth", mcp_server_url: "https://mcp.example.org/sse", expires_at: null, refresh: null },
    secrets: { access_token: "oauth-access-444", refresh_token: "oauth-refresh-444", client_secret: "client-secret-444" },
  },
];

describe("sandboxPlanFrom", () => {
  it("turns limited networking into an allow-list, with MCP and package hosts only when the environment allows them", () => {
    expect(sandboxPlanFrom({ environment: limited(), agentSnapshot: agent, credentials: [] }).options.network).toEqual({ type: "limited", allowedHosts: ["api.example.com"] });
    expect(sandboxPlanFrom({ environment: limited({ mcp: true }), agentSnapshot: agent, credentials: [] }).options.network).toEqual({
      type: "limited",
      allowedHosts: ["api.example.com", "mcp.example.org"],
    });
    const withPackages = sandboxPlanFrom({ environment: limited({ pkg: true }), agentSnapshot: agent, credentials: [] }).options.network;
    expect(withPackages).toEqual({ type: "limited", allowedHosts: ["api.example.com", ...PACKAGE_MANAGER_HOSTS] });
  });

  it("gives unrestricted environments an unrestricted policy, and self-hosted or unknown ones none", () => {
    const open: TEnvironmentConfig = { type: "cloud", networking: { type: "unrestricted" }, packages };
    expect(sandboxPlanFrom({ environment: open, agentSnapshot: {}, credentials: [] }).options.network).toEqual({ type: "unrestricted" });
    expect(sandboxPlanFrom({ environment: { type: "self_hosted" }, agentSnapshot: {}, credentials: [] }).options.network).toEqual({ type: "none" });
    expect(sandboxPlanFrom({ environment: null, agentSnapshot: {}, credentials: [] }).options.network).toEqual({ type: "none" });
  });

  it("gives the sandbox placeholders only, the egress layer the values, and redaction every secret of every type", () => {
    const plan = sandboxPlanFrom({ environment: limited(), agentSnapshot: agent, credentials });
    const placeholder = plan.options.env!.API_KEY!;
    expect(placeholder).toMatch(/^oma_egress_[0-9a-f]{32}$/);
    expect(Object.keys(plan.options.env!)).toEqual(["API_KEY"]);
    expect(plan.options.credentials).toEqual([
      { id: "vcrd_1", placeholder, value: "sk-real-env-value-1", allowedHosts: ["api.example.com"], injectIn: { header: true, body: false } },
    ]);
    expect([...plan.secrets].sort()).toEqual(
      ["sk-real-env-value-1", "sk-shadowed-value-2", "bearer-token-333", "oauth-access-444", "oauth-refresh-444", "client-secret-444"].sort(),
    );
    expect(JSON.stringify(plan.options.env)).not.toMatch(/sk-real|bearer-token|oauth-/);
    // Fresh placeholders for every sandbox.
    expect(sandboxPlanFrom({ environment: limited(), agentSnapshot: agent, credentials }).options.env!.API_KEY).not.toBe(placeholder);
  });
});

describe("mcpServerHosts", () => {
  it("reads the hosts of the snapshot's MCP server URLs and ignores what is not one", () => {
    expect(mcpServerHosts(agent)).toEqual(["mcp.example.org"]);
    expect(mcpServerHosts({ mcp_servers: [{ url: "http://[::1]:8080/" }, { url: 42 }, null] })).toEqual(["::1"]);
    expect(mcpServerHosts(null)).toEqual([]);
    expect(mcpServerHosts({ mcp_servers: "nope" })).toEqual([]);
  });
});
