import { LeaseLostError } from "@/lib/errors";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { enqueueSessionWork, holdsLiveLease } from "@/lib/harness/prisma-work-queue";
import { newId } from "@/lib/ids";
import type { TStoredEvent } from "../events";
import { foldSessionState, INITIAL_SESSION_STATE } from "../fold";
import {
  normalizeEventQuery,
  sessionNotFound,
  validateAppend,
  type SessionStore,
  type TAppendOptions,
  type TAppendResult,
  type TEventQuery,
  type TNewSession,
  type TSessionRecord,
} from "../session-store";
import { eventFromRow, eventToRow, sessionFromRow, stateFromRow } from "./rows";

/**
 * The session log on PostgreSQL or PGlite. An append locks the session row (`SELECT … FOR UPDATE`),
 * so concurrent appenders to one session queue on that lock and each sees the previous one's last
 * seq: seq numbers are contiguous with no gap and no duplicate, and the unique `(sessionId, seq)`
 * index would refuse a duplicate even if that reasoning were wrong. Appenders to different sessions
 * do not wait for each other.
 *
 * `{ wake: true }` queues the session (`SessionWork`) in the append's transaction; `{ leaseOwner }`
 * checks, after the session lock, that the worker's lease is live and share-locks the work row so
 * no claim can take the session over before the append commits.
 */
export class PrismaSessionStore implements SessionStore {
  constructor(private readonly prisma: PrismaClient) {}

  async createSession(input: TNewSession): Promise<TSessionRecord> {
    const row = await this.prisma.session.create({
      data: {
        id: input.id ?? newId("session"),
        teamId: input.teamId,
        agentId: input.agentId,
        agentVersion: input.agentVersion,
        agentSnapshot: input.agentSnapshot as Prisma.InputJsonObject,
        environmentId: input.environmentId,
        title: input.title ?? null,
        metadata: input.metadata ?? {},
        vaultIds: input.vaultIds ?? [],
        resources: (input.resources ?? []) as Prisma.InputJsonArray,
        budget: input.budget ? (input.budget as Prisma.InputJsonObject) : Prisma.DbNull,
        lastSeq: INITIAL_SESSION_STATE.lastSeq,
        status: INITIAL_SESSION_STATE.status,
        usage: INITIAL_SESSION_STATE.usage,
      },
    });
    return sessionFromRow(row);
  }

  async getSession(sessionId: string): Promise<TSessionRecord | null> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId } });
    return row ? sessionFromRow(row) : null;
  }

  async appendEvents(sessionId: string, events: readonly unknown[], options: TAppendOptions = {}): Promise<TAppendResult> {
    const bodies = validateAppend(events, options);
    const key = options.idempotencyKey;
    return this.prisma.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<Array<{ lastSeq: number; status: string; stopReason: Prisma.JsonValue; usage: Prisma.JsonValue }>>`
          SELECT "lastSeq", "status", "stopReason", "usage" FROM "Session" WHERE "id" = ${sessionId} FOR UPDATE`;
        const row = locked[0];
        if (!row) throw sessionNotFound(sessionId);
        const before = stateFromRow(row);
        if (options.leaseOwner !== undefined && !(await holdsLiveLease(tx, sessionId, options.leaseOwner, { lock: true }))) {
          throw new LeaseLostError(sessionId, options.leaseOwner);
        }

        if (key !== undefined) {
          const prior = await tx.sessionAppend.findUnique({ where: { sessionId_idempotencyKey: { sessionId, idempotencyKey: key } } });
          if (prior) {
            const earlier = await tx.sessionEvent.findMany({
              where: { sessionId, seq: { gte: prior.firstSeq, lt: prior.firstSeq + prior.count } },
              orderBy: { seq: "asc" },
            });
            return { events: earlier.map(eventFromRow), state: before, duplicate: true };
          }
        }

        const now = new Date().toISOString();
        const stored: TStoredEvent[] = bodies.map((body, i) => ({
          id: newId("event"),
          sessionId,
          seq: before.lastSeq + 1 + i,
          processedAt: now,
          createdAt: now,
          body,
        }));
        const after = foldSessionState(before, stored);

        await tx.sessionEvent.createMany({ data: stored.map(eventToRow) });
        await tx.session.update({
          where: { id: sessionId },
          data: {
            lastSeq: after.lastSeq,
            status: after.status,
            stopReason: after.stopReason ?? Prisma.DbNull,
            usage: after.usage,
            ...(options.sessionPatch?.title !== undefined ? { title: options.sessionPatch.title } : {}),
            ...(options.sessionPatch?.metadata !== undefined ? { metadata: options.sessionPatch.metadata } : {}),
          },
        });
        if (options.wake) await enqueueSessionWork(tx, sessionId);
        if (key !== undefined) {
          await tx.sessionAppend.create({ data: { sessionId, idempotencyKey: key, firstSeq: stored[0]!.seq, count: stored.length } });
        }
        return { events: stored, state: after, duplicate: false };
      },
      // Appenders to one session queue on its row lock; on the embedded default every transaction
      // queues behind the one before it. Generous waits keep a burst of appenders from failing.
      { maxWait: 30_000, timeout: 60_000 },
    );
  }

  async getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    const q = normalizeEventQuery(query);
    const rows = await this.prisma.sessionEvent.findMany({
      where: {
        sessionId,
        seq: { gt: q.afterSeq, ...(q.beforeSeq === null ? {} : { lt: q.beforeSeq }) },
        ...(q.types === null ? {} : { type: { in: [...q.types] } }),
      },
      orderBy: { seq: q.order },
      take: q.limit,
    });
    if (rows.length === 0 && !(await this.prisma.session.findUnique({ where: { id: sessionId }, select: { id: true } }))) {
      throw sessionNotFound(sessionId);
    }
    return rows.map(eventFromRow);
  }
}
