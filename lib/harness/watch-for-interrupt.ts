import "server-only";
import { followSession } from "@/lib/realtime/follow-session";
import type { TWakeContext } from "./wake-context";
import { DEFAULT_INTERRUPT_POLL_MS } from "./wake-context";

/**
 * Watches for a `user.interrupt` appended after `afterSeq` by following the session's log
 * (`followSession`): at once through the event bus, and through the session's shared poll of the
 * log (every `interruptPollMs` at most) when it is appended elsewhere. A failed read is tried again
 * on the next poll. `interrupted` resolves when one arrives; call `stop` when done.
 */
export function watchForInterrupt(ctx: TWakeContext, afterSeq: number): { interrupted: Promise<void>; isInterrupted(): boolean; stop(): void } {
  let fired = false;
  let resolve!: () => void;
  const interrupted = new Promise<void>((r) => (resolve = r));
  const stopping = new AbortController();
  const follow = followSession(ctx.sessionId, afterSeq, {
    store: ctx.deps.store,
    bus: ctx.deps.bus,
    pollMs: ctx.deps.interruptPollMs ?? DEFAULT_INTERRUPT_POLL_MS,
    signal: stopping.signal,
    // `afterSeq` is the seq of the append that started the model call: nothing to read yet
    startCaughtUp: true,
  });

  void (async () => {
    for await (const item of follow) {
      if (item.kind === "events" && item.events.some((e) => e.body.type === "user.interrupt" && (ctx.interrupts?.(e.body) ?? true))) {
        fired = true;
        resolve();
        return;
      }
    }
  })();

  return {
    interrupted,
    isInterrupted: () => fired,
    stop: () => stopping.abort(),
  };
}
