import "server-only";
import { LeaseLostError } from "@/lib/errors";
import { prismaDirectSql, type DirectSql } from "@/lib/db/direct-sql";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { TStoredEvent } from "../events";
import { INITIAL_SESSION_STATE, sessionDelta } from "../fold";
import {
  AppendRefusedError,
  LogMovedError,
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
  type TransactionalAppendOutbox,
} from "../session-store";
import { APPENDED, LOCKED, runAppendStatement, type TAppendStatement } from "./append-statement";
import { selectEvents } from "./log-sql";
import { newSessionRow, sessionFromRow } from "./rows";

/**
 * The session log on PostgreSQL or PGlite. Sessions are read and created through Prisma; the log's
 * appends and slices run on the driver (`DirectSql`, statements in `append-statement.ts` and
 * `log-sql.ts`), each ONE statement: one round trip. An append locks the session row
 * (`SELECT … FOR UPDATE`), so concurrent appenders to one session queue on that lock and each sees
 * the previous one's last seq: seq numbers are contiguous with no gap and no duplicate, and the
 * unique `(sessionId, seq)` index would refuse a duplicate even if that reasoning were wrong.
 * Appenders to different sessions do not wait for each other.
 *
 * `{ wake: true }` queues the session in the append's statement; `{ leaseOwner }` checks, after the
 * session lock, that the worker's lease is live and holds it until the append commits. Both are SQL
 * of the work queue's `TransactionalAppendHooks`, given to the constructor by the layer above.
 */
export class PrismaSessionStore implements SessionStore {
  private readonly sql: DirectSql;

  /**
   * `sql`: the driver the log's appends and slices run on (`Database.sql`); without it they go
   * through `prisma`, which is correct but slower (see `DirectSql`). `workQueue`: the hooks that
   * `{ wake }` and `{ leaseOwner }` need; a store without them refuses those options. `outbox`: what
   * an append also records for the events it announces outside (webhooks); absent: nothing.
   */
  constructor(
    private readonly prisma: PrismaClient,
    sql?: DirectSql,
    private readonly workQueue?: TransactionalAppendHooks,
    private readonly outbox?: TransactionalAppendOutbox,
  ) {
    this.sql = sql ?? prismaDirectSql(prisma);
  }

  /** The session's row and, through the `outbox` hook, what announces it: one transaction. */
  async createSession(input: TNewSession): Promise<TSessionRecord> {
    const id = input.id ?? newId("session");
    const create = this.prisma.session.create({ data: newSessionRow(id, input, INITIAL_SESSION_STATE) });
    const announce = this.outbox?.createdSql(Prisma.sql`(SELECT ${id}::text AS "id", ${input.teamId}::text AS "teamId")`, new Date().toISOString());
    if (!announce) return sessionFromRow(await create);
    const [row] = await this.prisma.$transaction([create, this.prisma.$executeRaw(announce)]);
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
    const stamped = bodies.map((body) => ({ id: newId("event"), body }));
    const now = new Date().toISOString();
    // a harness here taking the session in this very statement (claim-on-wake.ts); never with a
    // caller's own `readAfter` or patch, which the offer's read and record would not match
    const offer = options.wake && options.readAfter === undefined && !options.sessionPatch ? (hooks!.claimOnWake?.(sessionId) ?? null) : null;
    const statement: TAppendStatement = {
      sessionId,
      events: stamped,
      now,
      delta: sessionDelta(bodies),
      patch: options.sessionPatch,
      idempotencyKey: options.idempotencyKey,
      ifOpen: options.ifOpen,
      ifLastSeq: options.ifLastSeq,
      fence: options.leaseOwner !== undefined ? hooks!.leaseFenceSql(LOCKED, options.leaseOwner) : undefined,
      enqueue: offer ? offer.enqueueSql(APPENDED) : options.wake ? hooks!.enqueueSql(APPENDED) : undefined,
      claiming: offer !== null,
      outbox: this.outbox?.outboxSql(APPENDED, stamped, now) ?? undefined,
      readAfter: offer ? offer.knownSeq : options.readAfter,
      readLimit: offer?.maxRead,
      actor: options.actor,
    };
    if (!offer) return (await this.runAppend(statement, options)).result;
    const { result, claimed } = await this.runAppend(statement, options).catch((error: unknown) => {
      offer.withdraw();
      throw error;
    });
    if (!claimed) {
      offer.withdraw();
      return result;
    }
    const { read, ...appended } = result; // read for the offer, not asked for by the caller
    return { ...appended, claimed: offer.take({ ...claimed, events: read }) };
  }

  /** The statement's result, and what it returned for a claim offer when it wrote (`TAppendStatement.claiming`). */
  private async runAppend(statement: TAppendStatement, options: TAppendOptions): Promise<{ result: TAppendResult; claimed?: { woken: unknown; session: TSessionRecord } }> {
    const { sessionId, now } = statement;
    // A `conflict` (a concurrent append with the same idempotency key committed while this one
    // waited for the session's lock) wrote nothing: the statement runs again and finds it.
    for (let attempt = 1; ; attempt++) {
      const outcome = await runAppendStatement(this.sql, statement);
      switch (outcome.kind) {
        case "not_found":
          throw sessionNotFound(sessionId);
        case "refused":
          throw new AppendRefusedError(sessionId, outcome.reason);
        case "lease_lost":
          throw new LeaseLostError(sessionId, options.leaseOwner!);
        case "moved":
          throw new LogMovedError(sessionId, options.ifLastSeq!, outcome.lastSeq);
        case "duplicate":
          return { result: { events: outcome.events, state: outcome.state, duplicate: true } };
        case "written": {
          const stored = statement.events.map(({ id, body }, i): TStoredEvent => ({ id, sessionId, seq: outcome.firstSeq + i, processedAt: now, createdAt: now, body, ...(options.actor ? { actor: options.actor } : {}) }));
          return { result: { events: stored, state: outcome.state, duplicate: false, ...(outcome.read ? { read: outcome.read } : {}) }, claimed: outcome.claimed };
        }
        case "conflict":
          if (attempt >= 3) throw new Error(`append to session ${sessionId}: the idempotency key kept conflicting with concurrent appends`);
      }
    }
  }

  async getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    const q = normalizeEventQuery(query);
    const { found, events } = await selectEvents(this.sql, sessionId, q);
    if (!found) throw sessionNotFound(sessionId);
    return events;
  }
}
