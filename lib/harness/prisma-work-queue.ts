import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { jsonColumn, type DirectSql } from "@/lib/db/direct-sql";
import { sessionSnapshotFromJson, sessionSnapshotSql } from "@/lib/event-log/prisma/log-sql";
import type { TransactionalAppendHooks } from "@/lib/event-log/session-store";
import { NotFoundError } from "@/lib/errors";
import { LOG_PAGE } from "./wake-context";
import type { TClaim, TClaimedEnvironment, WorkQueue } from "./work-queue";
import { configFromJson } from "@/lib/sandbox/environment-config";

/** A Prisma client, an interactive transaction or a `DirectSql`: what the statements below need. */
type TSql = { $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T> };

/**
 * The database's clock, never the worker's. `clock_timestamp()` rather than `now()`: inside an
 * append transaction `now()` is the instant the transaction began, possibly before it waited for
 * the session's row lock. The columns are `timestamp(3)` in UTC, as Prisma writes them.
 */
const DB_NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;

const leaseEnd = (leaseMs: number) => Prisma.sql`(${DB_NOW} + ${leaseMs}::double precision * interval '1 millisecond')`;

/**
 * The work queue on PostgreSQL or PGlite: one `SessionWork` row per session with work pending.
 *
 * Every statement is a single SQL statement. A claim picks the oldest row whose lease is free or
 * expired with `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait for each other and never
 * take the same row. Locks are always taken session row first, then work row (as an append does),
 * so an append, an enqueue and a release on one session cannot deadlock.
 */
export class PrismaWorkQueue implements WorkQueue {
  /**
   * Decision: with `sql` (the driver below Prisma, `Database.sql`) the claim, renewal, release and
   * hand-back run on it, as the log's appends do, saving Prisma's client cost per statement: the
   * claim is on the path from a message to the model's first token (`npm run bench:ttft`; under
   * that bench's load the claim took 4.9 ms p50 through Prisma, 4.4 ms on the driver). Without it,
   * the same statements go through `prisma`; the statements are the same either way.
   */
  private readonly sql: TSql;

  constructor(
    private readonly prisma: PrismaClient,
    sql?: DirectSql,
  ) {
    this.sql = sql ?? prisma;
  }

  async enqueue(sessionId: string): Promise<void> {
    await enqueueSessionWork(this.prisma, sessionId);
  }

  /**
   * The claim also returns the session's record and the first page of its log (`snapshot`), read
   * in the claim's own statement: the wake it starts reads neither again, one round trip fewer
   * between a message and the model's first token. And whether other sessions were free to claim
   * (`more`), so that a worker does not look again for nothing.
   */
  async claim(workerId: string, leaseMs: number, known?: ReadonlyMap<string, number>): Promise<TClaim | null> {
    assertLeaseMs(leaseMs);
    // "leaseExpiresAt" is read as a timestamptz: the driver turns a plain timestamp into a Date in
    // the machine's time zone, whereas the column holds UTC.
    const rows = await this.sql.$queryRaw<Array<{ sessionId: string; wakeCount: number; leaseExpiresAt: Date; afterSeq: number; snapshot: unknown; environment: unknown; more: boolean }>>`
      WITH next AS (
        -- "afterSeq": the seq up to which the claimer holds this session's log (log-cache.ts), else 0
        SELECT "sessionId", COALESCE((${JSON.stringify(Object.fromEntries(known ?? []))}::jsonb ->> "sessionId")::int, 0) AS "afterSeq"
        FROM "SessionWork"
        WHERE "leaseExpiresAt" IS NULL OR "leaseExpiresAt" <= ${DB_NOW}
        ORDER BY "queuedAt", "sessionId"
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "SessionWork" AS w
      SET "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseEnd(leaseMs)}, "attempts" = w."attempts" + 1, "updatedAt" = ${DB_NOW}
      FROM next WHERE w."sessionId" = next."sessionId"
      RETURNING w."sessionId", w."wakeCount", (w."leaseExpiresAt" AT TIME ZONE 'UTC') AS "leaseExpiresAt", next."afterSeq",
        ${sessionSnapshotSql(Prisma.sql`w."sessionId"`, LOG_PAGE, Prisma.sql`next."afterSeq"`)} AS "snapshot",
        ${environmentJsonSql(Prisma.sql`"Session"`, Prisma.sql`WHERE s."id" = w."sessionId"`)} AS "environment",
        EXISTS (
          SELECT 1 FROM "SessionWork" AS o
          WHERE o."sessionId" <> w."sessionId" AND (o."leaseExpiresAt" IS NULL OR o."leaseExpiresAt" <= ${DB_NOW})
        ) AS "more"`;
    const row = rows[0];
    if (!row) return null;
    const read = sessionSnapshotFromJson(row.snapshot);
    const snapshot = read ? { ...read, afterSeq: Number(row.afterSeq) } : undefined;
    const environment = claimedEnvironmentFromJson(row.environment);
    return { sessionId: row.sessionId, workerId, wakeCount: row.wakeCount, leaseExpiresAt: row.leaseExpiresAt, snapshot, environment, more: row.more };
  }

  async renew(claim: TClaim, leaseMs: number): Promise<boolean> {
    assertLeaseMs(leaseMs);
    const rows = await this.sql.$queryRaw<Array<{ sessionId: string }>>`
      UPDATE "SessionWork" SET "leaseExpiresAt" = ${leaseEnd(leaseMs)}, "updatedAt" = ${DB_NOW}
      WHERE "sessionId" = ${claim.sessionId} AND "leaseOwner" = ${claim.workerId} AND "leaseExpiresAt" > ${DB_NOW}
      RETURNING "sessionId"`;
    return rows.length > 0;
  }

  /**
   * Deletes the row when the lease is still live and no wake arrived since the claim; otherwise, if
   * the lease is still this worker's, clears it and puts the session at the back of the queue.
   */
  async release(claim: TClaim): Promise<boolean> {
    const requeued = await this.sql.$queryRaw<Array<{ sessionId: string }>>`
      WITH mine AS (
        SELECT "sessionId", ("wakeCount" = ${claim.wakeCount}::int AND "leaseExpiresAt" > ${DB_NOW}) AS done
        FROM "SessionWork" WHERE "sessionId" = ${claim.sessionId} AND "leaseOwner" = ${claim.workerId}
        FOR UPDATE
      ), deleted AS (
        DELETE FROM "SessionWork" AS w USING mine WHERE w."sessionId" = mine."sessionId" AND mine.done
        RETURNING w."sessionId"
      )
      UPDATE "SessionWork" AS w
      SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "queuedAt" = ${DB_NOW}, "updatedAt" = ${DB_NOW}
      FROM mine WHERE w."sessionId" = mine."sessionId" AND NOT mine.done
      RETURNING w."sessionId"`;
    return requeued.length > 0;
  }

  async abandon(claim: TClaim): Promise<boolean> {
    const rows = await this.sql.$queryRaw<Array<{ sessionId: string }>>`
      UPDATE "SessionWork" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${DB_NOW}
      WHERE "sessionId" = ${claim.sessionId} AND "leaseOwner" = ${claim.workerId} AND "leaseExpiresAt" > ${DB_NOW}
      RETURNING "sessionId"`;
    return rows.length > 0;
  }

  async holdsLease(sessionId: string, workerId: string): Promise<boolean> {
    return holdsLiveLease(this.prisma, sessionId, workerId);
  }
}

/**
 * The SQL a `PrismaSessionStore` folds into its one-statement append, after it has locked the
 * session's row: for `{ leaseOwner }` the fence (a share-locked live lease, held until the append
 * commits, so no claim can take the session over before), for `{ wake: true }` the queueing of the
 * session (the upsert of `enqueueSessionWork`, without its own session lock: the append holds a
 * stronger one). Both reach the work row only through the session row the append locked.
 */
export const workQueueAppendHooks: TransactionalAppendHooks = {
  leaseFenceSql: (sessions, workerId) => Prisma.sql`
    SELECT w."sessionId" FROM "SessionWork" AS w JOIN ${sessions} AS s ON w."sessionId" = s."id"
    WHERE w."leaseOwner" = ${workerId} AND w."leaseExpiresAt" > ${DB_NOW}
    FOR SHARE OF w`,
  enqueueSql: (sessions) => Prisma.sql`
    INSERT INTO "SessionWork" ("sessionId", "wakeCount", "queuedAt", "updatedAt")
    SELECT s."id", 1, ${DB_NOW}, ${DB_NOW} FROM ${sessions} AS s
    ON CONFLICT ("sessionId") DO UPDATE SET "wakeCount" = "SessionWork"."wakeCount" + 1, "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "sessionId"`,
};

/**
 * `workQueueAppendHooks.enqueueSql` for an append that also claims the session for `claimId`
 * (claim-on-wake.ts): the same upsert, which besides takes the lease when none is live, as `claim`
 * would (lease, attempts). A live lease is left as it is: the session is then only queued, and its
 * holder goes on. The row returned says which (`claimed`), with the claim's fields and the session's
 * environment config, as `claim` returns them (`wokenClaim` reads it).
 */
export function claimingEnqueueSql(sessions: Prisma.Sql, claimId: string, leaseMs: number): Prisma.Sql {
  assertLeaseMs(leaseMs);
  const free = Prisma.sql`("SessionWork"."leaseExpiresAt" IS NULL OR "SessionWork"."leaseExpiresAt" <= ${DB_NOW})`;
  return Prisma.sql`
    INSERT INTO "SessionWork" ("sessionId", "wakeCount", "queuedAt", "updatedAt", "leaseOwner", "leaseExpiresAt", "attempts")
    SELECT s."id", 1, ${DB_NOW}, ${DB_NOW}, ${claimId}, ${leaseEnd(leaseMs)}, 1 FROM ${sessions} AS s
    ON CONFLICT ("sessionId") DO UPDATE SET
      "wakeCount" = "SessionWork"."wakeCount" + 1, "updatedAt" = EXCLUDED."updatedAt",
      "leaseOwner" = CASE WHEN ${free} THEN EXCLUDED."leaseOwner" ELSE "SessionWork"."leaseOwner" END,
      "attempts" = CASE WHEN ${free} THEN "SessionWork"."attempts" + 1 ELSE "SessionWork"."attempts" END,
      "leaseExpiresAt" = CASE WHEN ${free} THEN EXCLUDED."leaseExpiresAt" ELSE "SessionWork"."leaseExpiresAt" END
    RETURNING "sessionId", "wakeCount", "leaseOwner" = ${claimId} AS "claimed",
      to_char("leaseExpiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "leaseExpiresAt",
      ${environmentJsonSql(sessions)} AS "environment"`;
}

/** The claim a `claimingEnqueueSql` row stands for, or null when the session's lease was someone else's. */
export function wokenClaim(value: unknown, claimId: string): Omit<TClaim, "snapshot"> | null {
  const row = jsonColumn<{ sessionId: string; wakeCount: number; claimed: boolean; leaseExpiresAt: string; environment: unknown } | null>(value);
  if (!row?.claimed) return null;
  return { sessionId: row.sessionId, workerId: claimId, wakeCount: row.wakeCount, leaseExpiresAt: new Date(row.leaseExpiresAt), environment: claimedEnvironmentFromJson(row.environment) };
}

/**
 * Queues the session or bumps its wake counter, leaving any lease as it is (`enqueue`; an append
 * with `{ wake: true }` runs the same upsert inside its statement, `workQueueAppendHooks`). The
 * session row is key-share locked first, so this waits for an append in progress instead of
 * deadlocking with it.
 */
export async function enqueueSessionWork(sql: TSql, sessionId: string): Promise<void> {
  const rows = await sql.$queryRaw<Array<{ sessionId: string }>>`
    WITH s AS (SELECT "id" FROM "Session" WHERE "id" = ${sessionId} FOR KEY SHARE)
    INSERT INTO "SessionWork" ("sessionId", "wakeCount", "queuedAt", "updatedAt")
    SELECT "id", 1, ${DB_NOW}, ${DB_NOW} FROM s
    ON CONFLICT ("sessionId") DO UPDATE SET "wakeCount" = "SessionWork"."wakeCount" + 1, "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "sessionId"`;
  if (rows.length === 0) throw new NotFoundError(`session ${sessionId} not found`);
}

/** True while `workerId` holds a live lease on the session (the append's own fence is `workQueueAppendHooks`). */
export async function holdsLiveLease(sql: TSql, sessionId: string, workerId: string): Promise<boolean> {
  const rows = await sql.$queryRaw<Array<{ live: boolean }>>`
    SELECT ("leaseOwner" = ${workerId} AND "leaseExpiresAt" > ${DB_NOW}) AS live
    FROM "SessionWork" WHERE "sessionId" = ${sessionId}`;
  return rows[0]?.live === true;
}

function assertLeaseMs(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds (got ${leaseMs})`);
}

/**
 * The config of the environment of the session in `sessions` (a relation of session rows, narrowed
 * by `where` on its alias `s`), as environmentConfigLoader reads it (tool-network.ts): one JSON
 * value, which `claimedEnvironmentFromJson` reads.
 */
function environmentJsonSql(sessions: Prisma.Sql, where: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('id', s."environmentId", 'found', en."id" IS NOT NULL, 'config', en."config")
    FROM ${sessions} AS s LEFT JOIN "Environment" AS en ON en."id" = s."environmentId" ${where})`;
}

/** Reads the claim's `environment` column (drivers give JSON parsed, or as text); null config: the environment is gone. */
function claimedEnvironmentFromJson(value: unknown): TClaimedEnvironment | undefined {
  const json = jsonColumn<{ id: string; found: boolean; config: unknown } | null>(value);
  if (!json) return undefined;
  return { id: json.id, config: json.found ? configFromJson(json.config) : null };
}
