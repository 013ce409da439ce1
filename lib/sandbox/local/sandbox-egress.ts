import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { loadOrCreateEgressCa, type EgressCa } from "@/lib/egress/egress-ca";
import type { EgressObserver } from "@/lib/egress/egress-observer";
import { startEgressProxy, type EgressResolver } from "@/lib/egress/egress-proxy";
import type { NetworkPolicy } from "@/lib/egress/host-match";
import { createSandboxNetwork, DEFAULT_NAMESPACE_PREFIX } from "@/lib/sandbox/local/sandbox-network";
import type { EgressCredential } from "@/lib/egress/substitution";
import type { Logger } from "@/lib/log";

/**
 * The network of one local sandbox whose policy is `limited` or `unrestricted`: a private network
 * namespace whose only reachable socket is an egress proxy running on the host (lib/egress). The
 * proxy enforces the policy and applies the session's credentials outside the sandbox.
 */

export interface LocalEgressOptions {
  /** Where the installation's egress CA lives (default `<DATA_DIR>/egress-ca`, beside the sandboxes). */
  caDir?: string;
  /** Start of the network namespaces' names (default `oma-egress-`). */
  namespacePrefix?: string;
  /**
   * Tests only: how the proxy resolves names (default: the system resolver), so a test can point
   * `allowed.test` at a loopback server. Production never sets it.
   */
  resolve?: EgressResolver;
  /**
   * Tests only: let the proxy connect to loopback and private addresses. Off in production, where
   * the proxy refuses every non-public address (this machine, its database, cloud metadata).
   */
  allowPrivateAddresses?: boolean;
  /** Extra certificates (PEM) trusted for upstream TLS besides the system roots (tests, private CAs). */
  upstreamCa?: string | readonly string[];
}

/** What a networked LocalSandbox needs: how to run a command in its namespace, and how to tear it down. */
export interface SandboxEgress {
  wrapArgv(argv: readonly string[]): string[];
  close(): Promise<void>;
}

/**
 * Once per provider: loads (or creates) the CA, and writes the CA bundle as the sandboxes'
 * /etc/ssl/certs/ca-certificates.crt, where OpenSSL, curl, Python and git look by default.
 */
export async function prepareEgressHost(options: { caDir: string; etcDir: string }): Promise<EgressCa> {
  const ca = await loadOrCreateEgressCa({ dir: options.caDir });
  const certsDir = path.join(options.etcDir, "ssl", "certs");
  await fs.mkdir(certsDir, { recursive: true, mode: 0o755 });
  const bundle = path.join(certsDir, "ca-certificates.crt");
  const tmp = `${bundle}.${process.pid}.tmp`;
  await fs.copyFile(ca.bundlePath, tmp);
  await fs.chmod(tmp, 0o644);
  await fs.rename(tmp, bundle);
  return ca;
}

/** Creates the namespace and starts its proxy; on failure leaves nothing behind. */
export async function startSandboxEgress(options: {
  policy: Exclude<NetworkPolicy, { type: "none" }>;
  credentials: readonly EgressCredential[];
  ca: EgressCa;
  egress: LocalEgressOptions;
  logger: Logger;
  observer?: EgressObserver;
}): Promise<SandboxEgress> {
  const network = await createSandboxNetwork({
    caBundlePath: options.ca.bundlePath,
    prefix: options.egress.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX,
  });
  try {
    const proxy = await startEgressProxy({
      listen: { server: network.listener },
      policy: options.policy,
      credentials: options.credentials,
      ca: options.ca,
      resolve: options.egress.resolve,
      allowPrivateAddresses: options.egress.allowPrivateAddresses ?? false,
      upstreamCa: options.egress.upstreamCa,
      logger: options.logger,
      observer: options.observer,
    });
    let closed: Promise<void> | null = null;
    return {
      wrapArgv: (argv) => network.wrapArgv(argv),
      close() {
        closed ??= (async () => {
          try {
            await proxy.close();
          } finally {
            await network.destroy();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    await network.destroy().catch(() => {});
    throw error;
  }
}
