import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { VercelSandboxProvider, type VercelSandbox, type VercelSandboxProviderOptions } from "@/lib/sandbox/vercel";
import { FakeVercelApi } from "@/tests/fixtures/vercel-api";
import { until } from "@/tests/fixtures/wait";
import { describeSandboxContract } from "./sandbox-contract";

const TOKEN = `vercel_token_${randomBytes(12).toString("hex")}`;
const CREDENTIALS = { token: TOKEN, teamId: "team_contract", projectId: "prj_contract" };
const CREATE = /^\/v[23]\/sandboxes$/;

describeSandboxContract("vercel (recorded API)", async () => {
  const api = await FakeVercelApi.start(CREDENTIALS);
  const provider = new VercelSandboxProvider({ credentials: CREDENTIALS, fetch: api.fetch });
  return {
    provider,
    async teardown() {
      await provider.shutdown();
      await api.close();
    },
  };
});

describe("VercelSandboxProvider against the recorded API", () => {
  let api: FakeVercelApi;
  const providers: VercelSandboxProvider[] = [];

  beforeAll(async () => {
    api = await FakeVercelApi.start(CREDENTIALS);
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.shutdown()));
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await api?.close();
  });

  function makeProvider(options: Partial<VercelSandboxProviderOptions> = {}): VercelSandboxProvider {
    const provider = new VercelSandboxProvider({ credentials: CREDENTIALS, fetch: api.fetch, ...options });
    providers.push(provider);
    return provider;
  }

  const since = (start: number) => api.requests.slice(start);

  it("sends nothing before provision, then creates one authenticated, non-persistent VM", async () => {
    const start = api.requests.length;
    const provider = makeProvider({ vcpus: 1, timeoutMs: 600_000 });
    expect(since(start)).toEqual([]);

    await provider.provision({ sessionId: "sesn_lazy", resources: { memoryMb: 5000 } });
    const sent = since(start);
    expect(sent[0]).toMatchObject({ method: "POST", path: "/v3/sandboxes", query: { teamId: "team_contract" } });
    expect(sent[0]!.body).toMatchObject({ projectId: "prj_contract", persistent: false, timeout: 600_000, resources: { vcpus: 3 } });
    expect(sent.every((r) => r.authorized && r.headers.authorization === "Bearer [redacted]")).toBe(true);
    expect(sent.every((r) => r.query.teamId === "team_contract")).toBe(true);
    // Then the one command that links /workspace to the VM's workspace, as root.
    expect(sent[1]).toMatchObject({ method: "POST", body: { command: "ln", args: ["-sfnT", "/vercel/sandbox", "/workspace"], sudo: true } });
    expect(sent).toHaveLength(2);
  });

  it("authenticates with an OIDC token, taking the team and project from its claims", async () => {
    const claims = { owner_id: "team_oidc", project_id: "prj_oidc", exp: Math.floor(Date.now() / 1000) + 3600 };
    const oidcToken = ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");
    vi.stubEnv("VERCEL_OIDC_TOKEN", oidcToken); // what the SDK re-reads to refresh an OIDC token
    const oidcApi = await FakeVercelApi.start({ token: oidcToken, teamId: "team_oidc", projectId: "prj_oidc" });
    try {
      const provider = new VercelSandboxProvider({ credentials: { oidcToken }, fetch: oidcApi.fetch });
      providers.push(provider);
      const sandbox = await provider.provision({ sessionId: "sesn_oidc" });
      expect((await sandbox.exec("echo ok")).stdout).toBe("ok\n");
      expect(oidcApi.requests[0]).toMatchObject({ path: "/v3/sandboxes", query: { teamId: "team_oidc" }, body: { projectId: "prj_oidc" } });
      expect(oidcApi.requests.every((r) => r.authorized)).toBe(true);
      await provider.shutdown();
    } finally {
      await oidcApi.close();
    }
  });

  it("injects credential headers through the firewall and never into the VM", async () => {
    const secret = `sk-live-${randomBytes(16).toString("hex")}`;
    const provider = makeProvider({
      credentialHeaders: [{ host: "api.example.com", headers: { Authorization: `Bearer ${secret}` } }],
    });
    await expect(provider.provision({ sessionId: "sesn_leak", env: { KEY: `x${secret}` } })).rejects.toMatchObject({
      code: "provision_failed",
    });
    await expect(provider.provision({ sessionId: "sesn_leak", env: { TOKEN: TOKEN } })).rejects.toMatchObject({
      code: "provision_failed",
    });

    const start = api.requests.length;
    const sandbox = await provider.provision({ sessionId: "sesn_headers", env: { GREETING: "hi" } });
    const env = await sandbox.exec("env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'", { stdin: "input" });
    await sandbox.writeFile("out.txt", "data");
    await sandbox.readFile("out.txt");
    expect(env.stdout).toContain("GREETING=hi");
    expect(env.stdout).not.toContain(secret);

    const [create, ...rest] = since(start);
    expect(create).toMatchObject({ method: "POST", path: "/v3/sandboxes" });
    // No provision network means no network ("deny-all"): only the credential host is reachable.
    expect((create!.body as { networkPolicy: unknown }).networkPolicy).toEqual({
      allow: { "api.example.com": [{ transform: [{ headers: { authorization: `Bearer ${secret}` } }] }] },
    });
    expect((create!.body as { env?: unknown }).env).toBeUndefined();
    expect(JSON.stringify({ ...create, body: { ...(create!.body as object), networkPolicy: null } })).not.toContain(secret);
    const commands = rest.filter((r) => r.path.endsWith("/cmd")).map((r) => r.body as { env: unknown; sudo: boolean });
    expect(commands.filter((c) => !c.sudo).map((c) => c.env)).toEqual([{ GREETING: "hi" }]);
    const everything = JSON.stringify(rest);
    expect(everything).not.toContain(secret);
    expect(JSON.stringify(since(start))).not.toContain(TOKEN);
  });

  it("maps /workspace paths to /vercel/sandbox for the file API and runs commands in /workspace", async () => {
    const sandbox = await makeProvider().provision({ sessionId: "sesn_paths" });
    const start = api.requests.length;
    await sandbox.writeFile("/workspace/x/y.txt", "why");
    expect((await sandbox.readFile("x/./y.txt")).toString()).toBe("why");
    const [write, read] = since(start);
    expect(write).toMatchObject({ path: expect.stringMatching(/\/fs\/write$/), body: { extractDir: "/", files: [{ path: "vercel/sandbox/x/y.txt", content: "why" }] } });
    expect(read).toMatchObject({ path: expect.stringMatching(/\/fs\/read$/), body: { path: "/vercel/sandbox/x/y.txt" } });
    expect((await sandbox.exec("pwd; cat y.txt", { cwd: "/workspace/x" })).stdout).toBe("/workspace/x\nwhy");
    await expect(sandbox.readFile("/vercel/sandbox/x/y.txt")).rejects.toMatchObject({ code: "path_outside_workspace" });
    expect(await sandbox.exec("pwd", { cwd: "missing" })).toMatchObject({ exitCode: 1, stderr: expect.stringContaining("/workspace/missing") });
  });

  it("feeds stdin through a file it removes before the command starts", async () => {
    const sandbox = await makeProvider().provision({ sessionId: "sesn_stdin" });
    const start = api.requests.length;
    expect((await sandbox.exec("cat; ls -A /tmp", { stdin: "line\n" })).stdout).toBe("line\n");
    const upload = since(start)[0]!;
    expect(upload).toMatchObject({ path: expect.stringMatching(/\/fs\/write$/), body: { files: [{ content: "line\n" }] } });
    expect((upload.body as { files: Array<{ path: string }> }).files[0]!.path).toMatch(/^tmp\/\.stdin-[0-9a-f]+$/);
  });

  it("snapshots an idle VM and restores it with its files on the next call", async () => {
    const provider = makeProvider({ idleMs: 60_000, snapshotExpirationMs: 3_600_000 });
    const sandbox = (await provider.provision({ sessionId: "sesn_idle", env: { GREETING: "hello" } })) as VercelSandbox;
    await sandbox.writeFile("notes/a.txt", "kept\n");
    await sandbox.exec("echo more > b.txt && mkdir -p /tmp/x && echo tmp > /tmp/x/t");
    const firstVm = sandbox.vercelName!;

    expect(await provider.snapshotIdle(Date.now())).toEqual([]); // just used
    const start = api.requests.length;
    expect(await provider.snapshotIdle(Date.now() + 61_000)).toEqual([sandbox.id]);
    const [snapshot] = since(start);
    expect(snapshot).toMatchObject({ method: "POST", path: expect.stringMatching(/\/snapshot$/), body: { expiration: 3_600_000 } });
    expect(api.liveSandboxes().find((s) => s.name === firstVm)?.status).toBe("stopped");
    expect(await sandbox.isAlive()).toBe(true);
    expect(since(start)).toHaveLength(1); // a snapshotted sandbox is alive without asking

    const result = await sandbox.exec('cat notes/a.txt b.txt /tmp/x/t; pwd; echo "$GREETING"');
    expect(result).toMatchObject({ exitCode: 0, stdout: "kept\nmore\ntmp\n/workspace\nhello\n" });
    const restore = since(start).find((r) => r.method === "POST" && CREATE.test(r.path))!;
    const snapshotId = api.liveSandboxes().find((s) => s.name === sandbox.vercelName)?.fromSnapshot;
    expect(snapshotId).toMatch(/^snap_/);
    expect(restore.body).toMatchObject({ source: { type: "snapshot", snapshotId }, persistent: false });
    expect(restore.body).not.toHaveProperty("runtime");
    expect(sandbox.vercelName).not.toBe(firstVm);
    expect(api.liveSandboxes().some((s) => s.name === firstVm)).toBe(false); // the stopped VM's record is deleted

    await sandbox.destroy();
    expect(api.liveSandboxes().some((s) => s.name === sandbox.vercelName)).toBe(false);
    expect(api.liveSnapshots()).not.toContain(snapshotId);
  });

  it("does not snapshot a VM while a command runs in it", async () => {
    const provider = makeProvider({ idleMs: 60_000 });
    const sandbox = await provider.provision({ sessionId: "sesn_busy" });
    const start = api.requests.length;
    const running = sandbox.exec("sleep 1; echo done");
    // Started: the client follows the command it created (its status or its logs).
    await until("the command to start in the VM", () => since(start).some((r) => r.method === "GET" && /\/cmd\/[^/]+(\/logs)?$/.test(r.path)));
    expect(await provider.snapshotIdle(Date.now() + 61_000)).toEqual([]);
    expect((await running).stdout).toBe("done\n");
  });

  it("reports sandbox_dead once the VM stops behind its back, and never replaces it silently", async () => {
    const sandbox = (await makeProvider().provision({ sessionId: "sesn_dead" })) as VercelSandbox;
    await sandbox.writeFile("a.txt", "a");
    expect(await sandbox.isAlive()).toBe(true);
    await api.stopBehindTheScenes(sandbox.vercelName!);

    const start = api.requests.length;
    await expect(sandbox.exec("true")).rejects.toMatchObject({ code: "sandbox_dead" });
    await expect(sandbox.readFile("a.txt")).rejects.toMatchObject({ code: "sandbox_dead" });
    expect(await sandbox.isAlive()).toBe(false);
    expect(since(start).filter((r) => r.method === "POST" && CREATE.test(r.path))).toEqual([]);
    expect(since(start).some((r) => r.query.resume === "true")).toBe(false);
  });

  it("finds a stopped VM through its status", async () => {
    const sandbox = (await makeProvider().provision({ sessionId: "sesn_status" })) as VercelSandbox;
    await api.stopBehindTheScenes(sandbox.vercelName!);
    const start = api.requests.length;
    expect(await sandbox.isAlive()).toBe(false);
    expect(since(start)).toMatchObject([{ method: "GET", path: `/v2/sandboxes/${sandbox.vercelName}`, query: { resume: "false" } }]);
  });

  it("stops and deletes the VM on destroy", async () => {
    const sandbox = (await makeProvider().provision({ sessionId: "sesn_destroy" })) as VercelSandbox;
    const name = sandbox.vercelName!;
    const start = api.requests.length;
    await sandbox.destroy();
    expect(since(start).map((r) => `${r.method} ${r.path.replace(/sbs_\w+/, ":session")}`)).toEqual([
      "POST /v2/sandboxes/sessions/:session/stop",
      `DELETE /v2/sandboxes/${name}`,
    ]);
    expect(api.liveSandboxes().some((s) => s.name === name)).toBe(false);
  });

  it("fails provision with a typed error when the API refuses the credentials", async () => {
    const provider = makeProvider({ credentials: { ...CREDENTIALS, token: "wrong-token" } });
    await expect(provider.provision({ sessionId: "sesn_denied" })).rejects.toMatchObject({
      code: "provision_failed",
      message: expect.stringContaining("refused the credentials"),
    });
  });
});
