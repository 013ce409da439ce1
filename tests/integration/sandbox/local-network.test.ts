import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateEgressCa, type EgressCa } from "@/lib/egress/egress-ca";
import type { EgressCredential } from "@/lib/egress/substitution";
import { createLogger } from "@/lib/log";
import { LocalSandboxProvider } from "@/lib/sandbox/local";
import type { Sandbox } from "@/lib/sandbox/types";
import { startEchoServer, type EchoServer } from "../egress/egress-fixture";
import { makeLocalFixture, type LocalFixture } from "./local-fixture";

/**
 * The local provider's network policies, end to end: real bubblewrap sandboxes in real network
 * namespaces, the real egress proxy, loopback HTTP(S) servers standing in for outside hosts (names
 * like `allowed.test` exist only in the provider's test resolver). Nothing here leaves the machine.
 */

const PREFIX = "omatest-lnet-";
const SECRET = "sk_live_LocalProviderNeverShowsThis_5e1d";
const PLACEHOLDER = "oma_egress_0123456789abcdef0123456789abcdef";

let fixture: LocalFixture;
let production: LocalSandboxProvider;
let upstreamCa: EgressCa;
let allowed: EchoServer;
let other: EchoServer;
let secure: EchoServer;
const quiet = createLogger({ level: "error" });

const credential: EgressCredential = {
  id: "vcrd_local_net",
  placeholder: PLACEHOLDER,
  value: SECRET,
  allowedHosts: ["allowed.test", "secure.test"],
  injectIn: { header: true, body: true },
};

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("these tests need root (ip netns)");
  allowed = await startEchoServer();
  other = await startEchoServer();
  fixture = await makeLocalFixture({ logger: quiet });
  upstreamCa = await loadOrCreateEgressCa({ dir: path.join(fixture.dataDir, "upstream-ca") });
  secure = await startEchoServer({ tls: { ca: upstreamCa } });
  await fixture.provider.shutdown();
  const ports = (): Record<string, number> => ({ "allowed.test": allowed.port, "other.test": other.port, "secure.test": secure.port });
  // The test provider may reach loopback (its stand-ins for outside hosts live there).
  fixture.provider = new LocalSandboxProvider({
    rootDir: path.join(fixture.dataDir, "sandboxes"),
    logger: quiet,
    egress: {
      namespacePrefix: PREFIX,
      resolve: (host) => (ports()[host] === undefined ? [] : [{ address: "127.0.0.1", port: ports()[host]! }]),
      allowPrivateAddresses: true,
      upstreamCa: upstreamCa.certPem,
    },
  });
  // As production builds it: no private addresses, whatever a name resolves to.
  production = new LocalSandboxProvider({
    rootDir: path.join(fixture.dataDir, "sandboxes"),
    logger: quiet,
    egress: { namespacePrefix: PREFIX, resolve: (host) => (host === "allowed.test" ? [{ address: "127.0.0.1", port: allowed.port }] : []) },
  });
});

afterAll(async () => {
  await production?.shutdown();
  await fixture?.cleanup();
  await Promise.all([allowed?.close(), other?.close(), secure?.close()]);
  expect(ownNamespaces()).toEqual([]);
});

function ownNamespaces(): string[] {
  try {
    return readdirSync("/run/netns").filter((n) => n.startsWith(`${PREFIX}${process.pid}-`));
  } catch {
    return [];
  }
}

const curlStatus = (url: string) => `curl -s -o /dev/null -w "%{http_code}\\n" --max-time 10 ${url}; echo "exit=$?"`;

describe("network policy none (the default)", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await fixture.provider.provision({ sessionId: "sesn_none", credentials: [credential], env: { API_TOKEN: PLACEHOLDER } });
  });
  afterAll(() => sandbox.destroy());

  it("has no network at all: no proxy, no namespace, nothing reachable", async () => {
    expect(ownNamespaces()).toEqual([]);
    const result = await sandbox.exec(
      [
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
        'echo "proxy=${HTTPS_PROXY:-unset}"',
        "curl -s --max-time 5 http://allowed.test/ >/dev/null; echo \"exit=$?\"",
        `(exec 3<>/dev/tcp/127.0.0.1/${allowed.port}) 2>/dev/null && echo open || echo closed`,
      ].join("; "),
    );
    expect(result.stdout.trim().split("\n")).toEqual(["lo", "proxy=unset", "exit=6", "closed"]);
    expect(allowed.received).toHaveLength(0);
  });
});

describe("network policy limited", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await fixture.provider.provision({
      sessionId: "sesn_limited",
      network: { type: "limited", allowedHosts: ["allowed.test", "secure.test"] },
      credentials: [credential],
      env: { API_TOKEN: PLACEHOLDER },
    });
  });
  afterAll(() => sandbox.destroy());

  it("reaches an allowed host with the credential applied outside; other hosts are refused", async () => {
    const otherBefore = other.received.length;
    const result = await sandbox.exec(
      [`curl -sS --max-time 10 -H "Authorization: Bearer $API_TOKEN" http://allowed.test/limited`, "echo", curlStatus("http://other.test/")].join("; "),
    );
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({ url: "/limited", headers: { authorization: "Bearer [redacted]" } });
    expect(lines.slice(1)).toEqual(["403", "exit=0"]);
    expect(allowed.received.at(-1)).toMatchObject({ url: "/limited", headers: { authorization: `Bearer ${SECRET}` } });
    expect(other.received.length).toBe(otherBefore);
  });

  it("substitutes over HTTPS, trusting the installation CA from the sandbox's own /etc/ssl/certs", async () => {
    // Without the CA variables: the generated /etc/ssl/certs/ca-certificates.crt is what trusts the proxy.
    const result = await sandbox.exec(
      'unset SSL_CERT_FILE CURL_CA_BUNDLE; curl -sS --max-time 10 -H "Authorization: Bearer $API_TOKEN" -d "token=$API_TOKEN" https://secure.test/tls',
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(secure.received.at(-1)).toMatchObject({ url: "/tls", headers: { authorization: `Bearer ${SECRET}` }, body: `token=${SECRET}` });
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).toContain("[redacted]");
  });

  it("has no DNS and no raw way out: only the proxy's socket is open", async () => {
    const result = await sandbox.exec(
      [
        "getent hosts allowed.test >/dev/null && echo dns || echo no-dns",
        `(exec 3<>/dev/tcp/127.0.0.1/${allowed.port}) 2>/dev/null && echo open || echo closed`,
        `curl -s --noproxy '*' --max-time 5 http://127.0.0.1:${allowed.port}/ >/dev/null; echo "direct=$?"`,
        "tail -n +2 /proc/net/route | wc -l",
      ].join("; "),
    );
    expect(result.stdout.trim().split("\n")).toEqual(["no-dns", "closed", "direct=7", "0"]);
  });

  it("never shows the real value inside: not in the environment, any process's environ, or any file", async () => {
    const result = await sandbox.exec(
      [
        "env",
        "cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'",
        // The pattern matches the secret without containing it (or grep's own cmdline would match).
        `grep -rsl -e '${SECRET.slice(0, 4)}[${SECRET[4]}]${SECRET.slice(5)}' /workspace /tmp /etc /run /proc/[0-9]*/environ /proc/[0-9]*/cmdline; echo "grep=$?"`,
      ].join("; "),
    );
    expect(result.stdout).toContain(`API_TOKEN=${PLACEHOLDER}`);
    expect(result.stdout).toContain("grep=1"); // nothing found
    expect(result.stdout).not.toContain(SECRET);
  });
});

describe("network policy unrestricted", () => {
  it("reaches any host, and sends the credential only towards its allowed hosts", async () => {
    const sandbox = await fixture.provider.provision({
      sessionId: "sesn_open",
      network: { type: "unrestricted" },
      credentials: [credential],
      env: { API_TOKEN: PLACEHOLDER },
    });
    try {
      const result = await sandbox.exec(
        [
          `curl -sS --max-time 10 -o /dev/null -H "Authorization: Bearer $API_TOKEN" http://other.test/open`,
          `curl -sS --max-time 10 -o /dev/null -H "Authorization: Bearer $API_TOKEN" http://allowed.test/open`,
          "echo done",
        ].join("; "),
      );
      expect(result.stdout.trim()).toBe("done");
      expect(other.received.at(-1)).toMatchObject({ url: "/open", headers: { authorization: `Bearer ${PLACEHOLDER}` } });
      expect(allowed.received.at(-1)).toMatchObject({ url: "/open", headers: { authorization: `Bearer ${SECRET}` } });
    } finally {
      await sandbox.destroy();
    }
  });

  it("as in production, refuses this machine and private addresses, by literal or by name", async () => {
    const before = allowed.received.length;
    const sandbox = await production.provision({ sessionId: "sesn_prod", network: { type: "unrestricted" } });
    try {
      // NO_PROXY emptied, so that curl sends even 127.0.0.1 to the proxy rather than to the sandbox's own lo.
      const viaProxy = (url: string) => `NO_PROXY= no_proxy= ${curlStatus(url)}`;
      const result = await sandbox.exec([viaProxy(`http://127.0.0.1:${allowed.port}/`), viaProxy("http://allowed.test/"), viaProxy("http://169.254.169.254/")].join("; "));
      expect(result.stdout.trim().split("\n")).toEqual(["403", "exit=0", "403", "exit=0", "403", "exit=0"]);
      expect(allowed.received.length).toBe(before);
    } finally {
      await sandbox.destroy();
    }
  });
});

describe("teardown", () => {
  it("destroy, idle reclaim and shutdown delete the namespace and stop the proxy", async () => {
    const network = { type: "limited" as const, allowedHosts: ["allowed.test"] };
    const a = await fixture.provider.provision({ sessionId: "sesn_t1", network });
    expect(ownNamespaces()).toHaveLength(1);
    await a.destroy();
    expect(ownNamespaces()).toEqual([]);

    const reclaiming = new LocalSandboxProvider({ rootDir: path.join(fixture.dataDir, "sandboxes"), idleMs: 60_000, logger: quiet, egress: { namespacePrefix: PREFIX } });
    const b = await reclaiming.provision({ sessionId: "sesn_t2", network });
    const c = await reclaiming.provision({ sessionId: "sesn_t3", network });
    expect(ownNamespaces()).toHaveLength(2);
    expect(await reclaiming.reclaimIdle(Date.now() + 61_000)).toEqual(expect.arrayContaining([b.id, c.id]));
    expect(ownNamespaces()).toEqual([]);

    await reclaiming.provision({ sessionId: "sesn_t4", network });
    expect(ownNamespaces()).toHaveLength(1);
    await reclaiming.shutdown();
    expect(ownNamespaces()).toEqual([]);
  });

  it("refuses a policy it cannot enforce with a clear error and leaves nothing behind", async () => {
    await expect(
      fixture.provider.provision({ sessionId: "sesn_bad", network: { type: "limited", allowedHosts: ["not a host/"] } }),
    ).rejects.toThrow(/cannot set up the sandbox's network: not a host pattern/);
    expect(ownNamespaces()).toEqual([]);
  });
});
