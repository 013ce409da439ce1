import "server-only";
import type { Logger } from "@/lib/log";
import type { TDreamDeps } from "./dream-deps";
import { runPendingDreams } from "./run-pending-dreams";

/**
 * The dream runner of one process (harness workers and a web server running the in-process
 * harness): a pass of `runPendingDreams` every `intervalMs`, and one at once on `notify()` (a dream
 * created in this process). Every process runs one; the claim in the database starts each dream
 * once among them. `stop()` waits for the pass in flight.
 */
export function createDreamRunner(deps: TDreamDeps & { log: Pick<Logger, "warn">; intervalMs: number }) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = true;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(pass, ms);
    timer.unref?.();
  };
  const pass = () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = runPendingDreams(deps)
      .catch((error: unknown) => deps.log.warn("dream runner pass failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
        const soon = again;
        again = false;
        schedule(soon ? 0 : deps.intervalMs);
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    /** A dream was created: look now rather than at the next pass. */
    notify() {
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type DreamRunner = ReturnType<typeof createDreamRunner>;
