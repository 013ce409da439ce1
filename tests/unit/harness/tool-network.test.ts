import { describe, expect, it } from "vitest";
import { bashNetworkOf } from "@/lib/harness/tool-network";
import { wake } from "@/lib/harness/wake";
import { textTurn } from "@/lib/model/scripted-model-client";
import { defaultConfig, emptyPackages, type TEnvironmentConfig } from "@/lib/sandbox/environment-config";
import { bashDescription } from "@/lib/tools/bash";
import { harnessFixture, userMessage } from "./harness-fixture";

const limited: TEnvironmentConfig = {
  type: "cloud",
  networking: { type: "limited", allowed_hosts: ["api.example.com"], allow_mcp_servers: false, allow_package_managers: false },
  packages: emptyPackages(),
};

/** The bash tool's description in the model's first request of a session in `environment`. */
async function bashSeenByModel(environment: TEnvironmentConfig | null | undefined, agent?: Record<string, unknown>): Promise<string | undefined> {
  const seen: string[] = [];
  const h = await harnessFixture({
    script: [textTurn("ok")],
    agent,
    deps: environment === undefined ? {} : { environments: async (id) => (seen.push(id), environment) },
  });
  await h.send(userMessage("hi"));
  await wake(h.sessionId, h.deps);
  if (environment !== undefined) expect(seen).toHaveLength(1);
  return h.model.calls[0]!.request.tools?.find((t) => t.name === "bash")?.description;
}

describe("the bash tool tells the model the network its environment allows", () => {
  it("says what each environment gives", async () => {
    expect(await bashSeenByModel(defaultConfig())).toContain("The sandbox has network access.");
    expect(await bashSeenByModel(limited)).toContain("limited to the hosts the environment allows");
    expect(await bashSeenByModel({ type: "self_hosted" })).toContain("a machine of the environment's own workers");
    // no environment to go by (gone), or nothing to ask: no network, as the sandbox then gets
    expect(await bashSeenByModel(null)).toContain("There is no network access.");
    expect(await bashSeenByModel(undefined)).toContain("There is no network access.");
  });

  it("never says there is no network where there is, and keeps the rest of the description", async () => {
    for (const environment of [defaultConfig(), limited, { type: "self_hosted" } as const]) {
      const description = bashDescription(bashNetworkOf(environment));
      expect(description).not.toContain("no network");
      expect(description).toContain("The working directory is /workspace.");
    }
  });

  it("takes the config the claim read with the session instead of reading it again, when it is the session's environment", async () => {
    const seen: string[] = [];
    const h = await harnessFixture({ script: [textTurn("ok"), textTurn("ok")], deps: { environments: async (id) => (seen.push(id), defaultConfig()) } });
    const environmentId = (await h.store.getSession(h.sessionId))!.environmentId;
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps, { environment: { id: environmentId, config: limited } });
    expect(seen).toEqual([]);
    expect(h.model.calls[0]!.request.tools?.find((t) => t.name === "bash")?.description).toContain("limited to the hosts the environment allows");
    // a claim's reading of another environment is not taken
    await h.send(userMessage("again"));
    await wake(h.sessionId, h.deps, { environment: { id: "env_other", config: limited } });
    expect(seen).toEqual([environmentId]);
    expect(h.model.calls[1]!.request.tools?.find((t) => t.name === "bash")?.description).toContain("The sandbox has network access.");
  });

  it("leaves an agent without bash as it is", async () => {
    expect(await bashSeenByModel(defaultConfig(), { tools: [{ type: "agent_toolset_20260401", default_config: { enabled: false }, configs: [{ name: "read", enabled: true }] }] })).toBeUndefined();
  });
});
