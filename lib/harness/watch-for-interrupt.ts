import type { TWakeContext } from "./wake-context";
import { DEFAULT_INTERRUPT_POLL_MS } from "./wake-context";

/**
 * Watches for a `user.interrupt` appended after `afterSeq`: at once through the event bus when the
 * interrupt is appended in this process, and by polling the log (every `interruptPollMs`) when it
 * is appended elsewhere. `interrupted` resolves when one arrives; call `stop` when done.
 */
export function watchForInterrupt(ctx: TWakeContext, afterSeq: number): { interrupted: Promise<void>; isInterrupted(): boolean; stop(): void } {
  let fired = false;
  let resolve!: () => void;
  const interrupted = new Promise<void>((r) => (resolve = r));
  const fire = () => {
    if (fired) return;
    fired = true;
    resolve();
  };

  const unsubscribe = ctx.deps.bus?.subscribe(ctx.sessionId, (message) => {
    if (message.kind === "events" && message.events.some((e) => e.body.type === "user.interrupt" && e.seq > afterSeq)) fire();
  });
  let polling = false;
  const timer = setInterval(async () => {
    if (polling || fired) return;
    polling = true;
    try {
      const found = await ctx.deps.store.getEvents(ctx.sessionId, { afterSeq, types: ["user.interrupt"], limit: 1 });
      if (found.length > 0) fire();
    } catch {
      // the next tick tries again
    } finally {
      polling = false;
    }
  }, ctx.deps.interruptPollMs ?? DEFAULT_INTERRUPT_POLL_MS);
  timer.unref?.();

  return {
    interrupted,
    isInterrupted: () => fired,
    stop() {
      clearInterval(timer);
      unsubscribe?.();
    },
  };
}
