import "server-only";
import type { Dream, PrismaClient } from "@/lib/generated/prisma/client";
import { foldDreamStatus, type TDreamError, type TSessionEnd } from "./dream-status";
import { ZERO_DREAM_USAGE, type TDreamUsage, type TDreamView } from "./dream-to-wire";

const STOPS = new Set(["end_turn", "retries_exhausted", "budget_reached", "refusal"]);

/**
 * Folds each dream's state from its row and the log of its session (dream-status.ts): per dream
 * with a session, the session row (its existence and its usage fold) and the first events of its
 * log that end it. One small query per dream with a session: a dream's log is short, and the
 * status events are read by `(sessionId, seq)`.
 */
export async function readDreamViews(prisma: Pick<PrismaClient, "session" | "sessionEvent">, dreams: readonly Dream[]): Promise<Map<string, TDreamView>> {
  const sessionIds = dreams.flatMap((d) => (d.sessionId ? [d.sessionId] : []));
  const sessions = sessionIds.length
    ? await prisma.session.findMany({ where: { id: { in: sessionIds } }, select: { id: true, usage: true } })
    : [];
  const views = new Map<string, TDreamView>();
  for (const dream of dreams) {
    const session = sessions.find((s) => s.id === dream.sessionId);
    const sessionEnd = session ? await readSessionEnd(prisma, session.id) : null;
    const state = foldDreamStatus({
      failedAt: dream.failedAt,
      error: (dream.error as TDreamError | null) ?? null,
      canceledAt: dream.canceledAt,
      sessionExists: Boolean(session),
      sessionEnd,
      startedAt: dream.startedAt,
    });
    views.set(dream.id, { state, sessionExists: Boolean(session), usage: session ? usageOf(session.usage) : ZERO_DREAM_USAGE });
  }
  return views;
}

/** The first event that ended the session (see `TSessionEnd`), with the last `session.error` before it. */
export async function readSessionEnd(prisma: Pick<PrismaClient, "sessionEvent">, sessionId: string): Promise<TSessionEnd | null> {
  const candidates = await prisma.sessionEvent.findMany({
    where: { sessionId, type: { in: ["session.status_idle", "session.status_terminated"] } },
    orderBy: { seq: "asc" },
    select: { seq: true, type: true, payload: true, createdAt: true },
    take: 20,
  });
  const end = candidates.find((e) => e.type === "session.status_terminated" || STOPS.has(stopOf(e.payload)));
  if (!end) return null;
  const stop = end.type === "session.status_terminated" ? "terminated" : (stopOf(end.payload) as TSessionEnd["stop"]);
  if (stop === "end_turn") return { at: end.createdAt, stop, error: null };
  const failure = await prisma.sessionEvent.findFirst({
    where: { sessionId, type: "session.error", seq: { lt: end.seq } },
    orderBy: { seq: "desc" },
    select: { payload: true },
  });
  return { at: end.createdAt, stop, error: failure ? errorOf(failure.payload) : null };
}

function stopOf(payload: unknown): string {
  const reason = (payload as { stop_reason?: { type?: unknown } } | null)?.stop_reason?.type;
  return typeof reason === "string" ? reason : "";
}

function errorOf(payload: unknown): TDreamError | null {
  const error = (payload as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error.type !== "string") return null;
  return { type: error.type, message: typeof error.message === "string" ? error.message.slice(0, 4096) : "" };
}

function usageOf(value: unknown): TDreamUsage {
  const usage = (value ?? {}) as Record<string, unknown>;
  const count = (key: keyof TDreamUsage) => (typeof usage[key] === "number" ? (usage[key] as number) : 0);
  return {
    input_tokens: count("input_tokens"),
    output_tokens: count("output_tokens"),
    cache_read_input_tokens: count("cache_read_input_tokens"),
    cache_creation_input_tokens: count("cache_creation_input_tokens"),
  };
}
