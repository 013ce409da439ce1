import "server-only";
import { removeStaleSandboxNetworks } from "@/lib/sandbox/local/sandbox-network";
import type { Logger } from "@/lib/log";

/** How often a process sweeps the namespaces of dead processes, after the sweep at its start. */
export const DEFAULT_NETWORK_SWEEP_MS = 60_000;

export interface NetworkSweeper {
  stop(): void;
}

/**
 * Removes the network namespaces that processes now gone left behind (a SIGKILLed worker cannot
 * delete its own; see lib/sandbox/local/stale-sandbox-networks.ts): at once, then every `everyMs` on an
 * unref'd timer, which never keeps the process alive. Failures are logged, never thrown: a
 * namespace left for the next sweep harms nothing. A live process's namespaces are never touched.
 */
export function startNetworkSweeper(options: { prefix: string; everyMs: number; logger: Logger }): NetworkSweeper {
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= removeStaleSandboxNetworks({ prefix: options.prefix })
      .then((removed) => {
        if (removed.length > 0) options.logger.info("removed sandbox networks of processes that are gone", { count: removed.length });
      })
      .catch((error: Error) => options.logger.warn("could not remove stale sandbox networks", { error }))
      .finally(() => (running = null));
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
