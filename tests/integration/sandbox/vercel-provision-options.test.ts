import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPlaceholder, type EgressCredential } from "@/lib/egress";
import { VercelSandboxProvider, type VercelSandbox } from "@/lib/sandbox/vercel";
import { FakeVercelApi, type RecordedRequest } from "@/tests/fixtures/vercel-api";

/**
 * What a provision's `network`, `credentials` and `repositories` become on Vercel: the firewall
 * policy and the git source of the create call, as the recorded API requests show, and never a
 * secret inside the VM.
 */
const TOKEN = `vercel_token_${randomBytes(12).toString("hex")}`;
const CREDENTIALS = { token: TOKEN, teamId: "team_opts", projectId: "prj_opts" };
const CREATE = /^\/v[23]\/sandboxes$/;

describe("VercelSandboxProvider provision options", () => {
  let api: FakeVercelApi;
  const providers: VercelSandboxProvider[] = [];

  beforeAll(async () => {
    api = await FakeVercelApi.start(CREDENTIALS);
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.shutdown()));
  });
  afterAll(async () => {
    await api?.close();
  });

  function makeProvider(options: { idleMs?: number } = {}): VercelSandboxProvider {
    const provider = new VercelSandboxProvider({ credentials: CREDENTIALS, fetch: api.fetch, ...options });
    providers.push(provider);
    return provider;
  }

  /** The create calls (fresh or from a snapshot) sent since `start`. */
  const createsSince = (start: number): RecordedRequest[] => api.requests.slice(start).filter((r) => r.method === "POST" && CREATE.test(r.path));
  const policyOf = (request: RecordedRequest | undefined) => (request?.body as { networkPolicy?: unknown }).networkPolicy;

  it("maps the network policy to the firewall: none, unrestricted, limited (IP literals as subnets)", async () => {
    const provider = makeProvider();
    const start = api.requests.length;
    await provider.provision({ sessionId: "sesn_none" });
    await provider.provision({ sessionId: "sesn_none2", network: { type: "none" } });
    await provider.provision({ sessionId: "sesn_open", network: { type: "unrestricted" } });
    await provider.provision({
      sessionId: "sesn_limited",
      network: { type: "limited", allowedHosts: ["API.GitHub.com", "*.npmjs.org", "10.1.2.3", "api.github.com"] },
    });
    // The SDK sends "deny-all" / "allow-all" as `{ mode }`.
    expect(createsSince(start).map(policyOf)).toEqual([
      { mode: "deny-all" }, // no network given: no network, as the interface says
      { mode: "deny-all" },
      { mode: "allow-all" },
      { allow: ["api.github.com", "*.npmjs.org"], subnets: { allow: ["10.1.2.3/32"] } },
    ]);
    await expect(provider.provision({ sessionId: "sesn_bad", network: { type: "limited", allowedHosts: ["exa mple.com"] } })).rejects.toMatchObject({
      code: "provision_failed",
      message: expect.stringContaining("not a host pattern"),
    });
  });

  it("injects a credential by header rules toward its reachable hosts only, and never into the VM", async () => {
    const secret = `sk-live-${randomBytes(16).toString("hex")}`;
    const placeholder = createPlaceholder();
    const credential: EgressCredential = {
      id: "vcrd_1",
      placeholder,
      value: secret,
      allowedHosts: ["api.example.com", "elsewhere.example.org"],
      injectIn: { header: true, body: false },
    };
    const provider = makeProvider({ idleMs: 60_000 });
    await expect(
      provider.provision({ sessionId: "sesn_leak", env: { KEY: secret }, credentials: [credential], network: { type: "unrestricted" } }),
    ).rejects.toMatchObject({ code: "provision_failed", message: expect.stringContaining("holds a credential") });

    const start = api.requests.length;
    const sandbox = (await provider.provision({
      sessionId: "sesn_cred",
      env: { API_KEY: placeholder },
      credentials: [credential],
      network: { type: "limited", allowedHosts: ["api.example.com", "pypi.org"] },
    })) as VercelSandbox;
    const [create] = createsSince(start);
    const policy = policyOf(create) as { allow: Record<string, Array<{ match?: unknown; transform?: Array<{ headers: Record<string, string> }> }>> };
    // Only the hosts of the network policy: elsewhere.example.org is not opened by the credential.
    expect(Object.keys(policy.allow).sort()).toEqual(["api.example.com", "pypi.org"]);
    expect(policy.allow["pypi.org"]).toEqual([]);
    const rules = policy.allow["api.example.com"]!;
    expect(rules).toContainEqual({
      match: { headers: [{ key: { exact: "authorization" }, value: { regex: `^(?i:bearer)\\s+${placeholder}$` } }] },
      transform: [{ headers: { authorization: `Bearer ${secret}` } }],
    });
    expect(rules).toContainEqual({
      match: { headers: [{ key: { exact: "x-api-key" }, value: { exact: placeholder } }] },
      transform: [{ headers: { "x-api-key": secret } }],
    });
    // Every rule matches the placeholder: without it, a request to the host gets no credential.
    expect(rules.every((rule) => JSON.stringify(rule.match).includes(placeholder))).toBe(true);

    const seen = await sandbox.exec("env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'");
    expect(seen.stdout).toContain(`API_KEY=${placeholder}`);
    expect(seen.stdout).not.toContain(secret);
    // A restored snapshot keeps the same firewall policy.
    expect(await provider.snapshotIdle(Date.now() + 61_000)).toEqual([sandbox.id]);
    await sandbox.exec("true");
    const creates = createsSince(start);
    expect(creates).toHaveLength(2);
    expect(policyOf(creates[1])).toEqual(policy);
    // The value travels in the create calls' firewall policy only: no other request, no VM env.
    const others = api.requests.slice(start).filter((r) => !creates.includes(r));
    expect(JSON.stringify(others)).not.toContain(secret);
    for (const request of creates) expect(JSON.stringify({ ...(request.body as object), networkPolicy: null })).not.toContain(secret);
  });

  it("lets an 'any host' credential follow the network policy, and skips body-only ones", async () => {
    const any: EgressCredential = { placeholder: createPlaceholder(), value: "value-for-any-host", allowedHosts: "any", injectIn: { header: true, body: true } };
    const bodyOnly: EgressCredential = { placeholder: createPlaceholder(), value: "value-in-bodies-only", allowedHosts: "any", injectIn: { header: false, body: true } };
    const provider = makeProvider();
    const start = api.requests.length;
    await provider.provision({ sessionId: "sesn_any_open", credentials: [any, bodyOnly], network: { type: "unrestricted" } });
    await provider.provision({ sessionId: "sesn_any_none", credentials: [any], network: { type: "none" } });
    const [open, none] = createsSince(start).map(policyOf) as [{ allow: Record<string, unknown[]> }, unknown];
    expect(Object.keys(open.allow)).toEqual(["*"]);
    expect(open.allow["*"]!.length).toBeGreaterThan(0);
    expect(JSON.stringify(open)).toContain(any.placeholder);
    expect(JSON.stringify(open)).not.toContain(bodyOnly.placeholder);
    expect(none).toEqual({ mode: "deny-all" });
  });

  it("clones a repository through Vercel's git source, with its token given to the API only", async () => {
    const token = `ghp_${randomBytes(16).toString("hex")}`;
    const url = "https://github.com/acme/widgets.git";
    const provider = makeProvider();
    const start = api.requests.length;
    const sandbox = await provider.provision({
      sessionId: "sesn_repo",
      network: { type: "limited", allowedHosts: ["github.com"] },
      repositories: [{ url, token, checkout: { type: "branch", name: "main" }, mountPath: "/workspace/src/widgets" }],
    });
    const [create] = createsSince(start);
    expect((create!.body as { source: unknown }).source).toEqual({
      type: "git",
      url,
      revision: "main",
      depth: 1,
      username: "x-access-token",
      password: token,
    });

    const look = await sandbox.exec("ls -A; cat src/widgets/CHECKOUT.txt; git -C src/widgets remote get-url origin; cat src/widgets/.git/config; env");
    expect(look.exitCode).toBe(0);
    expect(look.stdout).toContain(`src\n${url} main\n${url}\n`);
    expect(look.stdout).not.toContain(token);
    expect((await sandbox.readFile("src/widgets/.git/config")).toString()).not.toContain(token);
    const afterCreate = api.requests.slice(start).filter((r) => r !== create);
    expect(JSON.stringify(afterCreate)).not.toContain(token);
  });

  it("checks out a commit at the workspace root, without a token for a public repository", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const provider = makeProvider();
    const start = api.requests.length;
    const sandbox = await provider.provision({
      sessionId: "sesn_commit",
      repositories: [{ url: "https://example.com/pub/repo", checkout: { type: "commit", sha }, mountPath: "/workspace" }],
    });
    expect((createsSince(start)[0]!.body as { source: unknown }).source).toEqual({ type: "git", url: "https://example.com/pub/repo", revision: sha });
    expect((await sandbox.exec("cat CHECKOUT.txt")).stdout).toBe(`https://example.com/pub/repo ${sha}\n`);
  });

  it("refuses what Vercel cannot do or must not see, before creating anything", async () => {
    const provider = makeProvider();
    const start = api.requests.length;
    const repo = (url: string, mountPath = "/workspace/r") => ({ url, mountPath });
    const refusals: Array<[Parameters<VercelSandboxProvider["provision"]>[0], string]> = [
      [{ sessionId: "s", repositories: [repo("https://a.example/x"), repo("https://b.example/y", "/workspace/y")] }, "one repository per sandbox"],
      [{ sessionId: "s", repositories: [repo("http://a.example/x")] }, "must be https"],
      [{ sessionId: "s", repositories: [repo("https://user:pw@a.example/x")] }, "must not contain credentials"],
      [{ sessionId: "s", repositories: [repo("https://a.example/x", "/etc")] }, "repository mount path"],
      [{ sessionId: "s", env: { T: "ghp_inside_env_value" }, repositories: [{ ...repo("https://a.example/x"), token: "ghp_inside_env_value" }] }, "holds a credential"],
    ];
    for (const [options, message] of refusals) {
      const error = await provider.provision(options).then(
        () => null,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(error).toMatchObject({ code: "provision_failed", message: expect.stringContaining(message) });
      expect(error!.message).not.toContain("pw@");
    }
    expect(createsSince(start)).toEqual([]);
  });
});
