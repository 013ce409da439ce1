import { AppError } from "@/lib/errors";
import type { TEventType } from "@/lib/event-log/events";
import { SIDE_REQUEST_TYPES } from "@/lib/event-log/fold";
import type { SessionStore, TSessionRecord } from "@/lib/event-log/session-store";
import { foldThreads, type TThreadState } from "@/lib/event-log/threads";
import { findTeamSession } from "../find-team-session";

const PAGE = 5_000;

/** The events a thread's state is folded from (`foldThreads`): its creation, statuses, usage, archive. */
const THREAD_STATE_TYPES: readonly TEventType[] = [
  "session.thread_created",
  "session.status_running",
  "session.status_idle",
  "session.status_rescheduled",
  "session.status_terminated",
  "session.thread_status_running",
  "session.thread_status_idle",
  "session.thread_status_rescheduled",
  "session.thread_status_terminated",
  "span.model_request_end",
  // the requests beside the turns' own (the grader's, a context summary's, the advisor's) count too
  ...SIDE_REQUEST_TYPES,
  "span.thread_archived",
];

/**
 * The team's session and its threads, folded from the events that make their state (read in pages:
 * a targeted read of the log, not all of it). Decision: a thread's `updated_at` is its latest
 * status or usage change, since the fold reads only those events.
 */
export async function readThreads(store: SessionStore, options: { teamId: string; sessionId: string }): Promise<{ session: TSessionRecord; threads: TThreadState[] }> {
  const session = await findTeamSession(store, options.teamId, options.sessionId);
  const events = [];
  for (let afterSeq = 0; ; ) {
    const page = await store.getEvents(session.id, { afterSeq, limit: PAGE, types: THREAD_STATE_TYPES });
    events.push(...page);
    if (page.length < PAGE) break;
    afterSeq = page.at(-1)!.seq;
  }
  return { session, threads: foldThreads(session.id, events) };
}

/** One thread of the team's session, or 404. */
export async function readThread(store: SessionStore, options: { teamId: string; sessionId: string; threadId: string }) {
  const { session, threads } = await readThreads(store, options);
  const thread = threads.find((t) => t.id === options.threadId);
  if (!thread) throw new AppError("not_found", `session thread ${options.threadId.slice(0, 64)} not found`);
  return { session, thread, threads };
}
