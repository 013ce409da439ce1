import "server-only";
import type { Logger } from "@/lib/log";
import type { TRunDeps } from "./execute-deployment-run";
import { runDueDeployments } from "./run-due-deployments";

/** How often a process looks for due ticks by default (DEPLOYMENT_SCHEDULER_INTERVAL_MS). */
export const DEFAULT_SCHEDULER_INTERVAL_MS = 5_000;

/**
 * The scheduler loop of one process (harness workers and a web server running the in-process
 * harness): a pass of `runDueDeployments` every `intervalMs`. Every process runs one; the claim in
 * the database makes each tick run once among them, so none is special and any may stop or die.
 * `stop()` waits for the pass in flight (a pass creates at most a batch of sessions).
 */
export function createDeploymentScheduler(deps: TRunDeps & { log: Pick<Logger, "warn">; intervalMs?: number }) {
  const intervalMs = deps.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  const pass = () => {
    running = runDueDeployments(deps)
      .catch((error: unknown) => deps.log.warn("deployment scheduler pass failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(pass, intervalMs);
        timer?.unref?.();
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(pass, intervalMs);
      timer.unref?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type DeploymentScheduler = ReturnType<typeof createDeploymentScheduler>;
