import "server-only";
import { LeaseLostError } from "@/lib/errors";
import { prismaDirectSql, type DirectSql } from "@/lib/db/direct-sql";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { TStoredEvent } from "../events";
import { foldSessionState, INITIAL_SESSION_STATE } from "../fold";
import {
  hooksMissing,
  normalizeEventQuery,
  sessionNotFound,
  validateAppend,
  type SessionStore,
  type TAppendOptions,
  type TAppendResult,
  type TEventQuery,
  type TNewSession,
  type TSessionRecord,
  type TransactionalAppendHooks,
} from "../session-store";
import { lockSessionState, priorAppend, recordAppend, selectEvents, sessionExists, writeEvents } from "./log-sql";
import { sessionFromRow } from "./rows";

/**
 * The session log on PostgreSQL or PGlite. Sessions are read and created through Prisma; the log's
 * appends and slices run on the driver (`DirectSql`, statements in `log-sql.ts`). An append locks the session row (`SELECT … FOR UPDATE`),
 * so concurrent appenders to one session queue on that lock and each sees the previous one's last
 * seq: seq numbers are contiguous with no gap and no duplicate, and the unique `(sessionId, seq)`
 * index would refuse a duplicate even if that reasoning were wrong. Appenders to different sessions
 * do not wait for each other.
 *
 * `{ wake: true }` queues the session in the append's transaction; `{ leaseOwner }` checks, after
 * the session lock, that the worker's lease is live and holds it until the append commits. Both go
 * through the work queue's `TransactionalAppendHooks`, given to the constructor by the layer above.
 */
export class PrismaSessionStore implements SessionStore {
  private readonly sql: DirectSql;

  /**
   * `sql`: the driver the log's appends and slices run on (`Database.sql`); without it they go
   * through `prisma`, which is correct but slower (see `DirectSql`). `workQueue`: the hooks that
   * `{ wake }` and `{ leaseOwner }` need; a store without them refuses those options.
   */
  constructor(
    private readonly prisma: PrismaClient,
    sql?: DirectSql,
    private readonly workQueue?: TransactionalAppendHooks,
  ) {
    this.sql = sql ?? prismaDirectSql(prisma);
  }

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
        // a nested write: Prisma inserts the session and its repositories in one transaction
        ...(input.repositories && input.repositories.length > 0
          ? { repositories: { createMany: { data: input.repositories.map((r) => ({ ...r, checkout: r.checkout ?? undefined })) } } }
          : {}),
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
    const hooks = this.workQueue;
    if ((options.wake || options.leaseOwner !== undefined) && !hooks) throw hooksMissing("PrismaSessionStore");
    const key = options.idempotencyKey;
    return this.sql.transaction(async (tx) => {
      const before = await lockSessionState(tx, sessionId);
      if (!before) throw sessionNotFound(sessionId);
      if (options.leaseOwner !== undefined && !(await hooks!.holdsLease(tx, sessionId, options.leaseOwner))) {
        throw new LeaseLostError(sessionId, options.leaseOwner);
      }

      if (key !== undefined) {
        const prior = await priorAppend(tx, sessionId, key);
        if (prior) {
          const earlier = await selectEvents(tx, sessionId, { afterSeq: prior.firstSeq - 1, beforeSeq: prior.firstSeq + prior.count, limit: prior.count, types: null, ids: null, order: "asc" });
          return { events: earlier, state: before, duplicate: true };
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
      await writeEvents(tx, sessionId, stored, after, options.sessionPatch);
      if (options.wake) await hooks!.enqueue(tx, sessionId);
      if (key !== undefined) await recordAppend(tx, sessionId, key, stored);
      return { events: stored, state: after, duplicate: false };
    });
  }

  async getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    const q = normalizeEventQuery(query);
    const events = await selectEvents(this.sql, sessionId, q);
    if (events.length === 0 && !(await sessionExists(this.sql, sessionId))) throw sessionNotFound(sessionId);
    return events;
  }
}
