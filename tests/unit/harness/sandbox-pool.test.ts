import { describe, expect, it, vi } from "vitest";
import type { TSandboxPlan } from "@/lib/harness/provision-context";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";

describe("SandboxPool", () => {
  it("provisions once per session, lazily, sharing a provisioning in flight", async () => {
    const provider = new FakeSandboxProvider({ provisionDelayMs: 20 });
    const pool = new SandboxPool(provider);
    expect(provider.provisionCalls).toHaveLength(0);
    const [a, b] = await Promise.all([pool.get("sesn_1"), pool.get("sesn_1")]);
    expect(a).toBe(b);
    expect(await pool.get("sesn_1")).toBe(a);
    await pool.get("sesn_2");
    expect(provider.provisionCalls.map((c) => c.sessionId)).toEqual(["sesn_1", "sesn_2"]);
  });

  it("replaces a sandbox that was discarded, died, or failed to provision", async () => {
    const provider = new FakeSandboxProvider();
    const pool = new SandboxPool(provider);
    const first = await pool.get("sesn_1");
    pool.discard("sesn_1");
    const second = await pool.get("sesn_1");
    expect(second).not.toBe(first);
    await second.destroy(); // reclaimed behind the pool's back
    const third = await pool.get("sesn_1");
    expect(third).not.toBe(second);
    expect(await third.isAlive()).toBe(true);
    provider.failNextProvisions(1);
    pool.discard("sesn_1");
    await expect(pool.get("sesn_1")).rejects.toThrow();
    expect(await (await pool.get("sesn_1")).isAlive()).toBe(true);
    expect(provider.provisionCalls).toHaveLength(5);
  });
});

describe("SandboxPool with a plan and several providers", () => {
  const cloud = { type: "cloud" as const, networking: { type: "unrestricted" as const }, packages: { type: "packages" as const, apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] } };

  it("provisions with the session's plan, on the provider its environment picks", async () => {
    const local = new FakeSandboxProvider();
    const other = new FakeSandboxProvider();
    const credentials = [{ id: "vcrd_1", placeholder: "oma_egress_aaaaaaaaaaaaaaaa", value: "real-value-123", allowedHosts: ["api.example.com"], injectIn: { header: true, body: false } }];
    const plan = vi.fn(async (sessionId: string): Promise<TSandboxPlan> => ({
      environment: sessionId === "sesn_other" ? { type: "self_hosted" } : cloud,
      options: { network: { type: "limited", allowedHosts: ["api.example.com"] }, credentials, env: { API_KEY: "oma_egress_aaaaaaaaaaaaaaaa" } },
      secrets: ["real-value-123"],
    }));
    const pool = new SandboxPool({ forEnvironment: (config) => (config?.type === "self_hosted" ? other : local) }, { plan });
    const lease = await pool.acquire("sesn_1");
    await pool.acquire("sesn_other");
    expect(local.provisionCalls).toEqual([
      { sessionId: "sesn_1", network: { type: "limited", allowedHosts: ["api.example.com"] }, credentials, env: { API_KEY: "oma_egress_aaaaaaaaaaaaaaaa" } },
    ]);
    expect(other.provisionCalls.map((c) => c.sessionId)).toEqual(["sesn_other"]);
    expect(lease.redact("key real-value-123!")).toBe("key [redacted]!");
    // The plan is read per provisioning, not per call.
    await pool.acquire("sesn_1");
    expect(plan).toHaveBeenCalledTimes(2);
  });

  it("tells its observer what happens, and fails clearly when the plan cannot be made", async () => {
    const provider = new FakeSandboxProvider();
    let fail = true;
    const pool = new SandboxPool(provider, {
      plan: async () => {
        if (fail) throw new Error("credential vcrd_9 does not decrypt under key k1");
        return { environment: null, options: {}, secrets: [] };
      },
    });
    const seen: string[] = [];
    const observer = {
      provisioning: ({ provider: p }: { provider: string }) => void seen.push(`provisioning ${p}`),
      ready: ({ sandboxId }: { sandboxId: string }) => void seen.push(`ready ${sandboxId}`),
      failed: ({ provider: p, reason }: { provider: string; reason: string }) => void seen.push(`failed ${p}: ${reason}`),
      replaced: ({ sandboxId }: { sandboxId: string }) => void seen.push(`replaced ${sandboxId}`),
    };
    await expect(pool.acquire("sesn_1", observer)).rejects.toThrow("cannot prepare the session's sandbox: credential vcrd_9 does not decrypt under key k1");
    fail = false;
    const first = await pool.acquire("sesn_1", observer);
    await pool.acquire("sesn_1", observer); // alive: nothing to tell
    await first.sandbox.destroy(); // reclaimed behind the pool's back
    await pool.acquire("sesn_1", observer);
    expect(seen).toEqual([
      "failed unknown: cannot prepare the session's sandbox: credential vcrd_9 does not decrypt under key k1",
      "provisioning fake",
      "ready sbx_fake_1",
      "replaced sbx_fake_1",
      "provisioning fake",
      "ready sbx_fake_2",
    ]);
  });

  it("destroys a sandbox whose ready hook failed (the session's lease was lost), and destroyAll waits for every sandbox", async () => {
    const provider = new FakeSandboxProvider();
    const pool = new SandboxPool(provider);
    await expect(pool.acquire("sesn_1", { ready: async () => Promise.reject(new Error("lease lost")) })).rejects.toThrow("lease lost");
    expect(await provider.sandboxes[0]!.isAlive()).toBe(false);
    expect(pool.has("sesn_1")).toBe(false);
    const a = await pool.get("sesn_2");
    const b = await pool.get("sesn_3");
    await pool.destroyAll();
    expect([await a.isAlive(), await b.isAlive()]).toEqual([false, false]);
  });
});
