import "server-only";
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import type net from "node:net";
import path from "node:path";
import { ownerTag, removeStaleSandboxNetworks as removeStale } from "./stale-sandbox-networks";

/**
 * A private network namespace for one local sandbox, in which exactly one thing can be reached:
 * the egress proxy.
 *
 * The namespace has only a loopback interface: no veth, no route, no DNS. The proxy's listening
 * socket is created *inside* it (a short-lived helper enters the namespace, listens on
 * 127.0.0.1:<port> and hands the socket to this process over IPC), so the proxy, which runs on the
 * host, accepts connections that can only come from the namespace, and makes its own outbound
 * connections from the host's network. Nothing of the host is addressable from inside: not its
 * loopback services, not services listening on 0.0.0.0, not other namespaces. This needs no
 * firewall rules, which a veth pair would (the host end of a veth is a host address, so any
 * service listening on all interfaces would be reachable through it).
 *
 * Commands enter the namespace with `nsenter --net=…` (util-linux) before dropping privileges,
 * and bubblewrap is told to keep that network namespace (`--share-net`) while unsharing the rest.
 * The namespace is named (`ip netns add`, iproute2) so every exec of a sandbox joins the same one.
 * Creating one needs root (CAP_SYS_ADMIN).
 */

export const DEFAULT_PROXY_PORT = 3128;
export const DEFAULT_NAMESPACE_PREFIX = "oma-egress-";
/** Where a sandbox finds the CA bundle that includes the egress proxy's CA. */
export const SANDBOX_CA_BUNDLE_PATH = "/run/egress/ca-certificates.crt";

const NETNS_DIR = "/run/netns";
const HELPER_TIMEOUT_MS = 15_000;

export interface SandboxNetworkOptions {
  /** Port the proxy listens on inside the namespace (default 3128; the namespace has nothing else). */
  proxyPort?: number;
  /**
   * Start of the namespace's name (default `oma-egress-`); the full name is
   * `<prefix><pid>-<start time>-<random>`, naming its owner (stale-sandbox-networks.ts).
   */
  prefix?: string;
  /** A CA bundle on the host (EgressCa.bundlePath) to bind read-only into sandboxes and point TLS clients at. */
  caBundlePath?: string;
  binaries?: Partial<NetworkBinaries>;
}

export interface NetworkBinaries {
  ip: string;
  nsenter: string;
  node: string;
}

export interface SandboxNetwork {
  /** The namespace's name (`ip netns list`). */
  readonly name: string;
  /** Its bind mount, for `nsenter --net=`. */
  readonly nsPath: string;
  /** A server listening on 127.0.0.1:<proxyPort> inside the namespace: give it to startEgressProxy({ listen: { server } }). */
  readonly listener: net.Server;
  /** The proxy's URL as seen from inside the namespace. */
  readonly proxyUrl: string;
  /** Environment for processes in the sandbox: proxy variables, and CA bundle variables when a bundle is given. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Turns a sandbox argv (`[setpriv …] prlimit … bwrap … -- command`, as buildSandboxArgv makes it)
   * into one that runs inside this namespace: `nsenter --net=<ns> --` in front, and for bwrap
   * `--share-net` (instead of unsharing the network), this network's environment and the CA bundle bind.
   */
  wrapArgv(argv: readonly string[]): string[];
  /** Closes the listener and deletes the namespace. Safe to call more than once. */
  destroy(): Promise<void>;
}

export async function createSandboxNetwork(options: SandboxNetworkOptions = {}): Promise<SandboxNetwork> {
  if (process.getuid?.() !== 0) throw new Error("a private network namespace needs root (ip netns add)");
  const binaries = await resolveNetworkBinaries(options.binaries);
  const port = options.proxyPort ?? DEFAULT_PROXY_PORT;
  const prefix = options.prefix ?? DEFAULT_NAMESPACE_PREFIX;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(prefix)) throw new Error("a namespace prefix is 1 to 32 characters of A-Z a-z 0-9 _ -");
  const name = `${prefix}${ownerTag()}-${randomBytes(4).toString("hex")}`;
  const nsPath = path.join(NETNS_DIR, name);

  await run(binaries.ip, ["netns", "add", name]);
  let listener: net.Server;
  try {
    await run(binaries.ip, ["-n", name, "link", "set", "lo", "up"]);
    listener = await listenInNamespace(binaries, nsPath, "127.0.0.1", port);
  } catch (error) {
    await run(binaries.ip, ["netns", "delete", name]).catch(() => {});
    throw error;
  }

  const address = listener.address() as net.AddressInfo;
  const proxyUrl = `http://127.0.0.1:${address.port}`;
  const env = sandboxNetworkEnv(proxyUrl, options.caBundlePath ? SANDBOX_CA_BUNDLE_PATH : undefined);
  let destroyed: Promise<void> | null = null;

  return {
    name,
    nsPath,
    listener,
    proxyUrl,
    env,
    wrapArgv: (argv) => wrapSandboxArgv(argv, { nsenter: binaries.nsenter, nsPath, env, caBundlePath: options.caBundlePath }),
    destroy() {
      destroyed ??= (async () => {
        await new Promise<void>((done) => listener.close(() => done()));
        await run(binaries.ip, ["netns", "delete", name]).catch((error: Error) => {
          if (!/No such file|not found|Invalid argument/i.test(error.message)) throw error;
        });
      })();
      return destroyed;
    },
  };
}

/** The environment that points a sandbox's tools at the proxy (and at a CA bundle that trusts it). */
export function sandboxNetworkEnv(proxyUrl: string, caBundlePath?: string): Record<string, string> {
  const env: Record<string, string> = {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: "localhost,127.0.0.1,::1",
    no_proxy: "localhost,127.0.0.1,::1",
  };
  if (caBundlePath) {
    for (const name of [
      "SSL_CERT_FILE",
      "CURL_CA_BUNDLE",
      "REQUESTS_CA_BUNDLE",
      "NODE_EXTRA_CA_CERTS",
      "GIT_SSL_CAINFO",
      "PIP_CERT",
      "CARGO_HTTP_CAINFO",
      "AWS_CA_BUNDLE",
      "npm_config_cafile",
    ]) {
      env[name] = caBundlePath;
    }
  }
  return env;
}

export interface WrapOptions {
  nsenter: string;
  nsPath: string;
  env?: Readonly<Record<string, string>>;
  caBundlePath?: string;
}

/** See SandboxNetwork.wrapArgv. Throws when the argv has no bwrap in it. */
export function wrapSandboxArgv(argv: readonly string[], options: WrapOptions): string[] {
  const bwrapAt = argv.findIndex((arg) => path.basename(arg) === "bwrap");
  if (bwrapAt < 0) throw new Error("not a bubblewrap command line");
  const before = argv.slice(0, bwrapAt + 1);
  // Walk bwrap's options by their arity (an option's value may look like an option), up to the
  // command: its first non-option word or `--`. The command is left alone.
  const parsed: string[][] = [];
  let i = bwrapAt + 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === "--" || !arg.startsWith("--")) break;
    const arity = BWRAP_ARITY[arg] ?? 0;
    parsed.push(argv.slice(i, i + 1 + arity));
    i += 1 + arity;
  }
  const rest = argv.slice(i);
  const kept = parsed.filter(([flag]) => flag !== "--unshare-net" && flag !== "--share-net");

  const added: string[] = ["--share-net"];
  for (const [name, value] of Object.entries(options.env ?? {})) added.push("--setenv", name, value);
  if (options.caBundlePath) added.push("--ro-bind", options.caBundlePath, SANDBOX_CA_BUNDLE_PATH);
  // --clearenv takes effect where it stands, so new variables go after it; mounts stay before a
  // later --remount-ro of the root.
  let clearAt = -1;
  kept.forEach(([flag], index) => {
    if (flag === "--clearenv") clearAt = index;
  });
  const merged = [...kept.slice(0, clearAt + 1).flat(), ...added, ...kept.slice(clearAt + 1).flat()];
  return [options.nsenter, `--net=${options.nsPath}`, "--", ...before, ...merged, ...rest];
}

/** How many values each bubblewrap (0.8) option takes; options not listed take none. */
const BWRAP_ARITY: Readonly<Record<string, number>> = {
  "--args": 1, "--argv0": 1, "--userns": 1, "--userns2": 1, "--pidns": 1, "--uid": 1, "--gid": 1, "--hostname": 1,
  "--chdir": 1, "--unsetenv": 1, "--lock-file": 1, "--sync-fd": 1, "--remount-ro": 1, "--exec-label": 1,
  "--file-label": 1, "--proc": 1, "--dev": 1, "--tmpfs": 1, "--mqueue": 1, "--dir": 1, "--seccomp": 1,
  "--add-seccomp-fd": 1, "--block-fd": 1, "--userns-block-fd": 1, "--info-fd": 1, "--json-status-fd": 1,
  "--cap-add": 1, "--cap-drop": 1, "--perms": 1, "--size": 1,
  "--setenv": 2, "--bind": 2, "--bind-try": 2, "--dev-bind": 2, "--dev-bind-try": 2, "--ro-bind": 2,
  "--ro-bind-try": 2, "--bind-fd": 2, "--ro-bind-fd": 2, "--file": 2, "--bind-data": 2, "--ro-bind-data": 2,
  "--symlink": 2, "--chmod": 2,
};

/**
 * Deletes namespaces with `prefix` whose owner is gone (a crash leaves them behind). Returns their
 * names. Processes sweep at start and periodically: see startNetworkSweeper.
 */
export async function removeStaleSandboxNetworks(options: { prefix?: string; binaries?: Partial<NetworkBinaries> } = {}): Promise<string[]> {
  const { ip } = await resolveNetworkBinaries(options.binaries);
  return removeStale({ prefix: options.prefix ?? DEFAULT_NAMESPACE_PREFIX, deleteNamespace: (name) => run(ip, ["netns", "delete", name]) });
}

/** Creates a TCP server listening on host:port inside the network namespace at `nsPath`. */
export async function listenInNamespace(binaries: Pick<NetworkBinaries, "nsenter" | "node">, nsPath: string, host: string, port: number): Promise<net.Server> {
  const helper = [
    'const net = require("node:net");',
    "const [host, port] = process.argv.slice(1);",
    "const server = net.createServer();",
    'server.on("error", (e) => process.send({ error: String(e.code || e.message) }, () => process.exit(1)));',
    "server.listen({ host, port: Number(port) }, () => process.send({ port: server.address().port }, server, () => process.exit(0)));",
  ].join("\n");
  // Cast: the project's ambient types make NODE_ENV a required key; an empty env is intended.
  const env = {} as NodeJS.ProcessEnv;
  const child = spawn(binaries.nsenter, [`--net=${nsPath}`, "--", binaries.node, "-e", helper, host, String(port)], {
    env,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)));
  return new Promise<net.Server>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { server: net.Server } | { error: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ("server" in outcome) resolve(outcome.server);
      else reject(outcome.error);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle({ error: new Error("timed out listening inside the network namespace") });
    }, HELPER_TIMEOUT_MS);
    child.once("message", (message: { error?: string }, handle: unknown) => {
      if (handle && typeof (handle as net.Server).address === "function") settle({ server: handle as net.Server });
      else settle({ error: new Error(`cannot listen inside the network namespace: ${message?.error ?? "no socket received"}`) });
    });
    child.once("error", (error) => settle({ error }));
    // Decision: the helper's exit does not end the hand-over. It exits right after sending the
    // socket, and a busy event loop can see that exit before it has read the message from the IPC
    // channel (about one helper in eight, on a loop kept busy). The message can no longer come once
    // the channel has reached its end: 'disconnect' (Node waits for a message still being read) and
    // 'close' (which counts the channel) come only then. Only then is "no socket" an error.
    let exit = "unknown";
    child.once("exit", (code, signal) => (exit = String(code ?? signal)));
    const channelClosed = () =>
      settle({ error: new Error(`cannot listen inside the network namespace (exit ${exit}): ${stderr.trim()}`) });
    child.once("disconnect", channelClosed);
    child.once("close", channelClosed);
  });
}

export async function resolveNetworkBinaries(given: Partial<NetworkBinaries> = {}): Promise<NetworkBinaries> {
  const ip = given.ip ?? (await findExecutable("ip"));
  const nsenter = given.nsenter ?? (await findExecutable("nsenter"));
  if (!ip) throw new Error("iproute2 (ip) is not installed: run scripts/install-system-deps.sh");
  if (!nsenter) throw new Error("util-linux (nsenter) is not installed: run scripts/install-system-deps.sh");
  return { ip, nsenter, node: given.node ?? process.execPath };
}

async function findExecutable(name: string): Promise<string | null> {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } as unknown as NodeJS.ProcessEnv;
    execFile(file, args, { env }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} ${args.join(" ")}: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });
}
