import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { TEventActor, TEventBody } from "../events";
import { foldSessionState, INITIAL_SESSION_STATE } from "../fold";
import { MAX_EVENTS_PER_APPEND, validateAppend, type TNewSession, type TSessionRecord } from "../session-store";
import { newSessionRow, sessionFromRow } from "./rows";

/** An event written with its new session: its id is given, so that later events can refer to it. */
export type TLoggedEvent = { id: string; body: TEventBody; processedAt: string | null; createdAt: string; actor?: TEventActor };

/**
 * Creates a session together with its log (seq 1, 2, … in the order given) and, in the same
 * transaction, its repositories and the state columns folded from that log: all of it commits or
 * none. The events are validated exactly as an append validates them.
 *
 * Decision: `SessionStore` appends events whose ids it makes itself, so a batch cannot refer to its
 * own events; a fork's copies must (a result names its tool use). This writes the session and its
 * log in one step instead of a create and an append, which would also leave an empty session
 * behind if the process died in between. It is the log's data access, beside `PrismaSessionStore`,
 * and writes the same rows and columns (`SessionEvent`, `Session.lastSeq/status/stopReason/usage`).
 */
const ROWS_PER_INSERT = 1000;

export async function createSessionWithLog(
  prisma: PrismaClient,
  input: TNewSession,
  events: readonly TLoggedEvent[],
): Promise<TSessionRecord> {
  // as appends of at most MAX_EVENTS_PER_APPEND each would be validated
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_APPEND) validateAppend(events.slice(start, start + MAX_EVENTS_PER_APPEND).map((e) => e.body));
  const state = foldSessionState(INITIAL_SESSION_STATE, events.map((e, i) => ({ seq: i + 1, body: e.body })));
  const id = input.id ?? newId("session");
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.session.create({ data: newSessionRow(id, input, state) });
    const rows = events.map(({ id: eventId, body: { type, ...payload }, processedAt, createdAt, actor }, i) => ({
      id: eventId,
      sessionId: id,
      seq: i + 1,
      type,
      payload: payload as Prisma.InputJsonObject,
      processedAt: processedAt === null ? null : new Date(processedAt),
      createdAt: new Date(createdAt),
      ...(actor ? { actor } : {}),
    }));
    // in slices: one statement's bind parameters are bounded (65,535 on PostgreSQL)
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      await tx.sessionEvent.createMany({ data: rows.slice(start, start + ROWS_PER_INSERT) });
    }
    return created;
  });
  return sessionFromRow(row);
}
