import { describe, expect, it } from "vitest";
import { egressCredentialsFrom, policyFromNetworking } from "@/lib/egress/from-config";
import { SANDBOX_CA_BUNDLE_PATH, sandboxNetworkEnv, wrapSandboxArgv } from "@/lib/sandbox/local/sandbox-network";
import { buildSandboxArgv } from "@/lib/sandbox/local/bwrap-command";
import type { TCredentialWithSecrets } from "@/lib/vault/load-credential-secrets";

const base = () =>
  buildSandboxArgv({
    binaries: { bwrap: "/usr/bin/bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv", unshare: "/usr/bin/unshare" },
    workspaceDir: "/data/ws",
    etcDir: "/data/etc",
    limits: { cpuSeconds: 10, memoryMb: 100, fileSizeMb: 10, openFiles: 64, processes: 32 },
    tmpSizeMb: 16,
    env: { TRICKY: "--unshare-net", OTHER: "--" },
    cwd: "/workspace",
    command: "echo -- --unshare-net",
    dropTo: { uid: 1000, gid: 1000 },
  });

const wrap = (argv: string[]) =>
  wrapSandboxArgv(argv, {
    nsenter: "/usr/bin/nsenter",
    nsPath: "/run/netns/ns1",
    env: sandboxNetworkEnv("http://127.0.0.1:3128", SANDBOX_CA_BUNDLE_PATH),
    caBundlePath: "/data/ca/bundle.pem",
  });

describe("wrapSandboxArgv", () => {
  it("enters the namespace first, as root, before privileges are dropped", () => {
    const argv = wrap(base());
    expect(argv.slice(0, 4)).toEqual(["/usr/bin/nsenter", "--net=/run/netns/ns1", "--", "/usr/bin/setpriv"]);
  });

  it("keeps the namespace in bwrap: --share-net after --unshare-all, no --unshare-net option", () => {
    const argv = wrap(base());
    const bwrap = argv.indexOf("/usr/bin/bwrap");
    expect(argv.indexOf("--unshare-all")).toBeGreaterThan(bwrap);
    expect(argv.indexOf("--share-net")).toBeGreaterThan(argv.indexOf("--unshare-all"));
    const withNet = wrap([...base().slice(0, base().indexOf("--unshare-all")), "--unshare-net", ...base().slice(base().indexOf("--unshare-all") + 1)]);
    const opts = withNet.slice(withNet.indexOf("/usr/bin/bwrap"), withNet.indexOf("/bin/bash"));
    // --unshare-net as an option is gone; as the value of --setenv it stays.
    expect(opts.filter((a, i) => a === "--unshare-net" && opts[i - 2] !== "--setenv")).toEqual([]);
  });

  it("leaves option values and the command alone, even when they look like options", () => {
    const original = base();
    const argv = wrap(original);
    const setenvTricky = argv.findIndex((a, i) => a === "--setenv" && argv[i + 1] === "TRICKY");
    expect(argv[setenvTricky + 2]).toBe("--unshare-net");
    const setenvOther = argv.findIndex((a, i) => a === "--setenv" && argv[i + 1] === "OTHER");
    expect(argv[setenvOther + 2]).toBe("--");
    const commandAt = original.indexOf("/bin/bash");
    expect(argv.slice(argv.indexOf("/bin/bash"))).toEqual(original.slice(commandAt));
  });

  it("sets the proxy environment after --clearenv, and binds the CA bundle before the root goes read-only", () => {
    const argv = wrap(base());
    const clear = argv.indexOf("--clearenv");
    const proxy = argv.findIndex((a, i) => a === "--setenv" && argv[i + 1] === "HTTPS_PROXY");
    expect(proxy).toBeGreaterThan(clear);
    expect(argv[proxy + 2]).toBe("http://127.0.0.1:3128");
    const bind = argv.findIndex((a, i) => a === "--ro-bind" && argv[i + 1] === "/data/ca/bundle.pem");
    expect(argv[bind + 2]).toBe(SANDBOX_CA_BUNDLE_PATH);
    expect(bind).toBeLessThan(argv.indexOf("--remount-ro"));
  });

  it("changes nothing else", () => {
    const original = base();
    const argv = wrap(original);
    const added = 3 + 1 + 3 * Object.keys(sandboxNetworkEnv("x", "y")).length + 3;
    expect(argv.length).toBe(original.length + added);
  });

  it("refuses a command line without bwrap", () => {
    expect(() => wrap(["/bin/sh", "-c", "true"])).toThrow(/bubblewrap/);
  });
});

describe("sandboxNetworkEnv", () => {
  it("points both cases of the proxy variables at the proxy and keeps loopback direct", () => {
    const env = sandboxNetworkEnv("http://127.0.0.1:3128");
    expect(env).toMatchObject({ HTTP_PROXY: "http://127.0.0.1:3128", https_proxy: "http://127.0.0.1:3128", NO_PROXY: "localhost,127.0.0.1,::1" });
    expect(env.SSL_CERT_FILE).toBeUndefined();
    expect(sandboxNetworkEnv("http://x", "/ca.pem")).toMatchObject({ SSL_CERT_FILE: "/ca.pem", NODE_EXTRA_CA_CERTS: "/ca.pem", REQUESTS_CA_BUNDLE: "/ca.pem" });
  });
});

describe("policyFromNetworking", () => {
  it("maps the API's networking to a policy", () => {
    expect(policyFromNetworking(null)).toEqual({ type: "none" });
    expect(policyFromNetworking({ type: "unrestricted" })).toEqual({ type: "unrestricted" });
    const limited = { type: "limited" as const, allowed_hosts: ["a.test"], allow_mcp_servers: false, allow_package_managers: true };
    expect(policyFromNetworking(limited, { mcpServerHosts: ["mcp.test"], packageManagerHosts: ["pkg.test", "a.test"] })).toEqual({
      type: "limited",
      allowedHosts: ["a.test", "pkg.test"],
    });
    expect(policyFromNetworking({ ...limited, allow_mcp_servers: true, allow_package_managers: false }, { mcpServerHosts: ["mcp.test"] })).toEqual({
      type: "limited",
      allowedHosts: ["a.test", "mcp.test"],
    });
  });
});

describe("egressCredentialsFrom", () => {
  const envVar = (id: string, name: string, value: string, hosts: string[] | null): TCredentialWithSecrets => ({
    id,
    vaultId: "vlt_1",
    type: "environment_variable",
    auth: {
      type: "environment_variable",
      secret_name: name,
      networking: hosts ? { type: "limited", allowed_hosts: hosts } : { type: "unrestricted" },
      injection_location: { header: true, body: false },
    },
    secrets: { secret_value: value },
  });

  it("gives each variable a fresh placeholder; the first credential of a name wins", () => {
    const { credentials, env } = egressCredentialsFrom([
      envVar("vcrd_a", "GITHUB_TOKEN", "ghp_first", ["api.github.test"]),
      envVar("vcrd_b", "GITHUB_TOKEN", "ghp_second", ["api.github.test"]),
      envVar("vcrd_c", "OTHER", "other-value", null),
      { id: "vcrd_d", vaultId: "vlt_1", type: "static_bearer", auth: { type: "static_bearer", mcp_server_url: "https://mcp.test" }, secrets: { token: "t" } },
    ]);
    expect(Object.keys(env)).toEqual(["GITHUB_TOKEN", "OTHER"]);
    expect(credentials.map((c) => c.id)).toEqual(["vcrd_a", "vcrd_c"]);
    expect(credentials[0]).toMatchObject({ placeholder: env.GITHUB_TOKEN, value: "ghp_first", allowedHosts: ["api.github.test"], injectIn: { header: true, body: false } });
    expect(credentials[1]!.allowedHosts).toBe("any");
    expect(JSON.stringify(env)).not.toContain("ghp_first");
    expect(egressCredentialsFrom([envVar("vcrd_a", "X", "v", null)]).env.X).not.toBe(env.OTHER);
  });
});
