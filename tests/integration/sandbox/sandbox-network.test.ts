import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateEgressCa, type EgressCa } from "@/lib/egress/egress-ca";
import { startEgressProxy, type EgressProxy } from "@/lib/egress/egress-proxy";
import { createSandboxNetwork, removeStaleSandboxNetworks, type SandboxNetwork } from "@/lib/sandbox/local/sandbox-network";
import { buildSandboxArgv } from "@/lib/sandbox/local/bwrap-command";
import { createWorkspace, prepareRootDir, resolveBinaries, type SandboxBinaries } from "@/lib/sandbox/local/host-setup";
import { runProcess } from "@/lib/sandbox/local/run-process";
import { capturingLogger, startEchoServer, startTcpService, type EchoServer } from "../egress/egress-fixture";

/**
 * Real bubblewrap sandboxes, built exactly as the local provider builds them (buildSandboxArgv),
 * wrapped into a private network namespace whose only reachable socket is the egress proxy.
 */

const PREFIX = "omatest-";
const SECRET = "sk_live_SandboxNeverSeesThis_71c3";
const PLACEHOLDER = "oma_egress_feedfacefeedfacefeedfacefeedface";

let base: string;
let etcDir: string;
let workspace: string;
let binaries: SandboxBinaries;
let ca: EgressCa;
let upstreamCa: EgressCa;
let allowed: EchoServer;
let other: EchoServer;
let secure: EchoServer;
let hostService: Awaited<ReturnType<typeof startTcpService>>;
let network: SandboxNetwork;
let proxy: EgressProxy;
let logLines: string[] = [];

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("these tests need root (ip netns)");
  base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-egress-sbx-"));
  await fs.chmod(base, 0o711);
  ({ etcDir } = await prepareRootDir(path.join(base, "sandboxes")));
  workspace = await createWorkspace(path.join(base, "sandboxes"), "ws", { uid: 1000, gid: 1000 });
  binaries = await resolveBinaries();
  ca = await loadOrCreateEgressCa({ dir: path.join(base, "ca") });
  upstreamCa = await loadOrCreateEgressCa({ dir: path.join(base, "upstream-ca") });
  allowed = await startEchoServer();
  other = await startEchoServer();
  secure = await startEchoServer({ tls: { ca: upstreamCa } });
  // Listening on every host interface: a veth's host end would expose it; this namespace must not.
  hostService = await startTcpService("0.0.0.0");

  network = await createSandboxNetwork({ prefix: PREFIX, caBundlePath: ca.bundlePath });
  const { logger, lines } = capturingLogger();
  proxy = await startEgressProxy({
    listen: { server: network.listener },
    policy: { type: "limited", allowedHosts: ["allowed.test", "secure.test"] },
    credentials: [{ id: "vcrd_sbx", placeholder: PLACEHOLDER, value: SECRET, allowedHosts: ["allowed.test", "secure.test"], injectIn: { header: true, body: true } }],
    resolve: (host) => {
      const ports: Record<string, number> = { "allowed.test": allowed.port, "other.test": other.port, "secure.test": secure.port };
      return ports[host] === undefined ? [] : [{ address: "127.0.0.1", port: ports[host] }];
    },
    allowPrivateAddresses: true,
    ca,
    upstreamCa: upstreamCa.certPem,
    logger,
  });
  logLines = lines;
});

afterAll(async () => {
  await proxy?.close();
  await network?.destroy();
  // Whatever happened above: no namespace of this process is left behind.
  for (const name of ownNamespaces()) execFileSync("ip", ["netns", "delete", name]);
  await Promise.all([allowed?.close(), other?.close(), secure?.close(), hostService?.close()]);
  if (base) await fs.rm(base, { recursive: true, force: true });
  expect(ownNamespaces()).toEqual([]);
});

function ownNamespaces(): string[] {
  try {
    return readdirSync("/run/netns").filter((n) => n.startsWith(`${PREFIX}${process.pid}-`));
  } catch {
    return [];
  }
}

/** Runs a command in a sandbox inside the namespace, as the local provider would. */
function sandboxExec(command: string) {
  const argv = buildSandboxArgv({
    binaries,
    workspaceDir: workspace,
    etcDir,
    limits: { cpuSeconds: 30, memoryMb: 2048, fileSizeMb: 64, openFiles: 256, processes: 64 },
    tmpSizeMb: 16,
    env: { API_TOKEN: PLACEHOLDER },
    cwd: "/workspace",
    command,
    dropTo: { uid: 1000, gid: 1000 },
  });
  return runProcess({ argv: network.wrapArgv(argv), timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 });
}

describe("a sandbox in its own network namespace", () => {
  it("reaches an allowed host through the proxy; the credential is applied outside and never seen inside", async () => {
    const result = await sandboxExec('curl -sS --max-time 10 -H "Authorization: Bearer $API_TOKEN" http://allowed.test/from-sandbox; echo; env');
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const got = allowed.received.at(-1)!;
    expect(got).toMatchObject({ url: "/from-sandbox", headers: { authorization: `Bearer ${SECRET}` } });
    expect(result.stdout).toContain('"authorization":"Bearer [redacted]"');
    expect(result.stdout).toContain(`API_TOKEN=${PLACEHOLDER}`);
    expect(result.stdout).toContain(`HTTP_PROXY=${network.proxyUrl}`);
    expect(result.stdout).not.toContain(SECRET);
  });

  it("reaches an allowed host over HTTPS, trusting the proxy's CA from the bound bundle", async () => {
    const result = await sandboxExec('curl -sS --max-time 10 -H "Authorization: Bearer $API_TOKEN" -d "token=$API_TOKEN" https://secure.test/tls');
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const got = secure.received.at(-1)!;
    expect(got).toMatchObject({ url: "/tls", headers: { authorization: `Bearer ${SECRET}` }, body: `token=${SECRET}` });
    expect(result.stdout).not.toContain(SECRET);
  });

  it("is refused by the proxy for any other host, over HTTP and HTTPS", async () => {
    const before = other.received.length;
    const result = await sandboxExec(
      'curl -s -o /dev/null -w "%{http_code}\\n" --max-time 10 http://other.test/; curl -sS --max-time 10 https://other.test/ 2>&1; echo "exit=$?"',
    );
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("403");
    expect(result.stdout).toMatch(/403/);
    expect(lines.at(-1)).not.toBe("exit=0");
    expect(other.received.length).toBe(before);
  });

  it("can open a connection to the proxy and to nothing else: not host loopback services, not services on all interfaces", async () => {
    const allowedBefore = allowed.received.length;
    const acceptedBefore = hostService.accepted();
    const port = new URL(network.proxyUrl).port;
    const probe = (host: string, p: number | string) =>
      `(exec 3<>/dev/tcp/${host}/${p}) 2>/dev/null && echo "open ${host}:${p}" || echo "closed ${host}:${p}"`;
    const result = await sandboxExec(
      [
        probe("127.0.0.1", port),
        probe("127.0.0.1", allowed.port),
        probe("127.0.0.1", hostService.port),
        probe("::1", allowed.port),
        probe("localhost", hostService.port),
        `curl -s --noproxy '*' --max-time 5 http://127.0.0.1:${allowed.port}/ >/dev/null; echo "direct curl exit=$?"`,
      ].join("; "),
    );
    expect(result.stdout.trim().split("\n")).toEqual([
      `open 127.0.0.1:${port}`,
      `closed 127.0.0.1:${allowed.port}`,
      `closed 127.0.0.1:${hostService.port}`,
      `closed ::1:${allowed.port}`,
      `closed localhost:${hostService.port}`,
      "direct curl exit=7",
    ]);
    // Control: the host service is really up and reachable from the host.
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port: hostService.port }, () => s.end());
      s.resume(); // read the greeting, or the socket never sees the end
      s.on("close", () => resolve());
      s.on("error", reject);
    });
    expect(hostService.accepted()).toBe(acceptedBefore + 1);
    expect(allowed.received.length).toBe(allowedBefore);
  });

  it("has only a loopback interface, no route and no DNS, and cannot change that", async () => {
    const result = await sandboxExec(
      [
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
        "tail -n +2 /proc/net/route | wc -l",
        "getent hosts allowed.test >/dev/null && echo dns || echo no-dns",
        "ip link set lo down 2>/dev/null && echo changed || echo unchanged",
        "ip link add dummy0 type dummy 2>/dev/null && echo added || echo not-added",
      ].join("; "),
    );
    expect(result.stdout.trim().split("\n")).toEqual(["lo", "0", "no-dns", "unchanged", "not-added"]);
  });

  it("keeps the other isolation of the provider: a fresh PID namespace and the unprivileged user", async () => {
    const result = await sandboxExec("id -u; echo $$; ls /proc | grep -c '^[0-9]'");
    const [uid, pid, processes] = result.stdout.trim().split("\n");
    expect(uid).toBe("1000");
    expect(Number(pid)).toBeLessThan(10);
    expect(Number(processes)).toBeLessThan(10);
  });
});

describe("namespace lifecycle", () => {
  it("destroy() deletes the namespace and closes the listener", async () => {
    const extra = await createSandboxNetwork({ prefix: PREFIX });
    const nsFile = `/run/netns/${extra.name}`;
    expect(existsSync(nsFile)).toBe(true);
    expect(extra.listener.listening).toBe(true);
    await extra.destroy();
    await extra.destroy(); // idempotent
    expect(existsSync(nsFile)).toBe(false);
    expect(extra.listener.listening).toBe(false);
  });

  it("removeStaleSandboxNetworks deletes namespaces of processes that are gone, and only those", async () => {
    const pidMax = Number((await fs.readFile("/proc/sys/kernel/pid_max", "utf8")).trim());
    const stale = `${PREFIX}${pidMax + 1}-deadbeef`;
    execFileSync("ip", ["netns", "add", stale]);
    try {
      const removed = await removeStaleSandboxNetworks({ prefix: PREFIX });
      expect(removed).toContain(stale);
      expect(removed).not.toContain(network.name);
      expect(existsSync(`/run/netns/${stale}`)).toBe(false);
      expect(existsSync(network.nsPath)).toBe(true);
    } finally {
      if (existsSync(`/run/netns/${stale}`)) execFileSync("ip", ["netns", "delete", stale]);
    }
  });

  it("logged its decisions without the secret", () => {
    const lines = logLines;
    expect(lines.some((l) => l.includes('"msg":"egress allowed"') && l.includes("vcrd_sbx"))).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"egress refused"') && l.includes("other.test"))).toBe(true);
    for (const line of lines) expect(line).not.toContain(SECRET);
  });
});
