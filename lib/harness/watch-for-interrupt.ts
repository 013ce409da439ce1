import "server-only";
import { followSession } from "@/lib/realtime/follow-session";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { TWakeContext } from "./wake-context";
import { DEFAULT_INTERRUPT_POLL_MS } from "./wake-context";

/**
 * Watches for a `user.interrupt` appended after the step was planned by following the session's log
 * (`followSession`): at once through the event bus, and through the session's shared poll of the
 * log (every `interruptPollMs` at most) when it is appended elsewhere. A failed read is tried again
 * on the next poll. `interrupted` resolves when one arrives; call `stop` when done.
 *
 * `knownSeq` is the last seq of the log the step was planned from, `started` the events whose append
 * started the call (its start span), if any. Decision: when `started` follows `knownSeq` directly,
 * nothing came in between, so following starts caught up after it, with no read of the log. When
 * something did (another process appended between the plan and the start), following starts at
 * `knownSeq` and reads the log first: an interrupt committed in that gap stops the call too, where
 * watching from the start alone would miss it until the call ended on its own.
 */
export function watchForInterrupt(ctx: TWakeContext, knownSeq: number, started: readonly TStoredEvent[] = []): { interrupted: Promise<void>; isInterrupted(): boolean; stop(): void } {
  const gapless = started.length === 0 || started[0]!.seq === knownSeq + 1;
  let fired = false;
  let resolve!: () => void;
  const interrupted = new Promise<void>((r) => (resolve = r));
  const stopping = new AbortController();
  const follow = followSession(ctx.sessionId, gapless ? (started.at(-1)?.seq ?? knownSeq) : knownSeq, {
    store: ctx.deps.store,
    bus: ctx.deps.bus,
    pollMs: ctx.deps.interruptPollMs ?? DEFAULT_INTERRUPT_POLL_MS,
    signal: stopping.signal,
    startCaughtUp: gapless,
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
