import "server-only";
import type { TransactionalAppendHooks, TWakeClaimOffer } from "@/lib/event-log/session-store";
import type { HarnessWorker } from "./harness-worker";
import { claimingEnqueueSql, wokenClaim } from "./prisma-work-queue";

/**
 * The work queue's append hooks for a process whose harness worker takes the sessions it is woken
 * for in the waking append itself: a user's message is appended, the session queued AND its lease
 * taken for this worker in one statement, which also reads what the worker lacks of the log. The
 * wake then starts from that, with no claim between the message and the model call.
 *
 * Decision: only for the worker in the process that appends (the web server's in-process harness),
 * only when it has room (`reserveClaim`), and only when no lease on the session is live (another
 * worker driving it goes on, and sees the message in its log). Otherwise the append just queues the
 * session, as before, and any worker claims it. The append reads at most `MAX_READ` events the
 * worker lacks (all of a new session's, or what came since the worker's last turn of it, log-cache.ts):
 * past that the wake reads the log itself, as after a claim, so a send never carries a long read.
 * Measured by `npm run bench:ttft` (README): the claim was a round trip of its own, 3 ms of the
 * first token's time at p50 under that bench's load, and it waited for the send's answer.
 */
export const MAX_READ = 200;

export function claimOnWakeHooks(hooks: TransactionalAppendHooks, worker: () => HarnessWorker | undefined): TransactionalAppendHooks {
  return {
    ...hooks,
    claimOnWake(sessionId: string): TWakeClaimOffer | null {
      const slot = worker()?.reserveClaim(sessionId);
      if (!slot) return null;
      return {
        enqueueSql: (sessions) => claimingEnqueueSql(sessions, slot.claimId, slot.leaseMs),
        knownSeq: slot.knownSeq,
        maxRead: MAX_READ,
        take({ woken, session, events }) {
          const claim = wokenClaim(woken, slot.claimId);
          if (!claim) {
            slot.cancel();
            return false;
          }
          slot.adopt({ ...claim, snapshot: events && { session, events, afterSeq: slot.knownSeq } });
          return true;
        },
        withdraw: () => slot.cancel(),
      };
    },
  };
}
