import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { jsonColumn, type DirectSql } from "@/lib/db/direct-sql";
import type { TEventActor, TEventBody, TStoredEvent } from "../events";
import type { TSessionDelta, TSessionState } from "../fold";
import { refusalOf, type AppendRefusedError, type TSessionPatch, type TSessionRecord } from "../session-store";
import { EVENT_JSON, eventFromJson, sessionFromJson, sessionJsonSql } from "./log-sql";
import { stateFromRow } from "./rows";

/**
 * An append to the session log as ONE SQL statement: one round trip, and atomic by itself (a single
 * statement is its own transaction on PostgreSQL and on PGlite), so no BEGIN and COMMIT around it.
 *
 * Decision: the append used to be a transaction of four or five statements (BEGIN; lock the session
 * and read its state; the fence; write the events and the state; the wake; the idempotency record;
 * COMMIT), each a round trip on the path from a message to the model's first token. One statement
 * does it all with data-modifying CTEs, in this order of dependence:
 *
 * 1. `locked`: the session's row, `FOR UPDATE`. Every other part reads it, so it is locked first;
 *    concurrent appenders to one session queue here and each sees the last seq its predecessor
 *    committed (under READ COMMITTED a row lock returns the row's latest version). This is what
 *    makes seq contiguous; the unique `(sessionId, seq)` index would refuse a duplicate anyway.
 * 2. `fence` (`{ leaseOwner }`): the work queue's query (`TransactionalAppendHooks.leaseFenceSql`),
 *    joined to `locked`, so the work row is share-locked after the session row (the order every
 *    writer follows) and held until the statement commits. A lease changed by a claim that
 *    committed while this statement waited for the session is re-read by the row lock and fails.
 * 3. `prior` (`{ idempotencyKey }`): the append the key was used for, if any.
 * 4. `go`: `locked` when the session is open for `{ ifOpen }`, the fence held and the key unused.
 * 5. `recorded` (with a key): the idempotency record, `ON CONFLICT DO NOTHING`. The statement's
 *    snapshot predates its wait for the lock, so a concurrent append with the same key that
 *    committed meanwhile is not in `prior`; its record is, for this insert, which then writes
 *    nothing, and so does everything after it. The caller sees `conflict` and runs the statement
 *    again, whose new snapshot finds the first append: a duplicate.
 * 6. `appended`: the session row the events go to (none when anything above said no).
 * 7. `written`, `updated`, `woken`: the events (seq = the locked last seq + their position), the
 *    session's state columns (the batch's `TSessionDelta` applied to the locked state, as
 *    `applySessionDelta` does) with the `sessionPatch`, and the wake (the work queue's
 *    `enqueueSql`, which locks the work row after the session row too).
 * 8. `outboxed` (only for a batch with events the outbox announces, e.g. status changes): the
 *    webhook deliveries of those events (`TransactionalAppendOutbox.outboxSql`), from `appended`.
 *
 * The last SELECT reports what happened: whether the session exists and its state as locked, the
 * fence, the earlier append of the key with its events, and the state written.
 */
export type TAppendStatement = {
  sessionId: string;
  /** The events' ids and bodies, in order: their seq is the locked last seq + 1, + 2, … */
  events: ReadonlyArray<{ id: string; body: TEventBody }>;
  /** When the events are processed and created (an ISO string, stamped by the caller). */
  now: string;
  delta: TSessionDelta;
  patch?: TSessionPatch;
  idempotencyKey?: string;
  ifOpen?: { teamId: string };
  /** `TAppendOptions.ifLastSeq`: nothing is written unless the locked last seq is this one. */
  ifLastSeq?: number;
  /** `TransactionalAppendHooks.leaseFenceSql(LOCKED, workerId)`, for `{ leaseOwner }`. */
  fence?: Prisma.Sql;
  /** `TransactionalAppendHooks.enqueueSql(APPENDED)`, for `{ wake: true }` (or a `TWakeClaimOffer`'s). */
  enqueue?: Prisma.Sql;
  /**
   * For a `TWakeClaimOffer`: also return the row `enqueue` returned (`woken`) and the whole session
   * record as the append leaves it (`session`; the locked row then has every column).
   */
  claiming?: boolean;
  /** `TransactionalAppendOutbox.outboxSql(APPENDED, …)`: what the events announce outside (webhooks). */
  outbox?: Prisma.Sql;
  /** Also return the log after this seq up to the appended events (`TAppendOptions.readAfter`). */
  readAfter?: number;
  /** With `readAfter`: read nothing when more than this many events came before the appended ones (`TWakeClaimOffer.maxRead`). */
  readLimit?: number;
  /** Who sent the events (`TAppendOptions.actor`): written with each of them. */
  actor?: TEventActor;
};

/** The relations the hooks' SQL reads (column `"id"`): the locked session row, and the row appended to. */
export const LOCKED = Prisma.raw(`"locked"`);
export const APPENDED = Prisma.raw(`"appended"`);

export type TAppendOutcome =
  | { kind: "not_found" }
  | { kind: "refused"; reason: AppendRefusedError["reason"] }
  | { kind: "lease_lost" }
  | { kind: "moved"; lastSeq: number }
  | { kind: "duplicate"; state: TSessionState; events: TStoredEvent[] }
  | { kind: "conflict" }
  | { kind: "written"; firstSeq: number; state: TSessionState; read?: TStoredEvent[]; claimed?: { woken: unknown; session: TSessionRecord } };

type TStateJson = Parameters<typeof stateFromRow>[0];
type TOutcomeRow = {
  before: (TStateJson & { teamId: string; archived: boolean }) | null;
  leased: boolean;
  prior: { firstSeq: number; count: number; events: unknown[] | null } | null;
  after: TStateJson | null;
  read: unknown[] | null;
  woken?: unknown;
  session?: unknown;
};


export async function runAppendStatement(sql: DirectSql, a: TAppendStatement): Promise<TAppendOutcome> {
  const { sessionId, now, delta } = a;
  const ctes: Prisma.Sql[] = [
    Prisma.sql`"locked" AS MATERIALIZED (
      SELECT ${a.claiming ? Prisma.raw("*") : Prisma.raw(`"id", "teamId", "archivedAt", "lastSeq", "status", "stopReason", "usage"`)}
      FROM "Session" WHERE "id" = ${sessionId} FOR UPDATE)`,
  ];
  const go: Prisma.Sql[] = [Prisma.sql`true`];
  if (a.ifOpen) go.push(Prisma.sql`l."teamId" = ${a.ifOpen.teamId} AND l."archivedAt" IS NULL AND l."status" <> 'terminated'`);
  if (a.ifLastSeq !== undefined) go.push(Prisma.sql`l."lastSeq" = ${a.ifLastSeq}::int`);
  if (a.fence) {
    ctes.push(Prisma.sql`"fence" AS MATERIALIZED (${a.fence})`);
    go.push(Prisma.sql`EXISTS (SELECT 1 FROM "fence")`);
  }
  const key = a.idempotencyKey;
  if (key !== undefined) {
    ctes.push(Prisma.sql`"prior" AS MATERIALIZED (
      SELECT "firstSeq", "count" FROM "SessionAppend" WHERE "sessionId" = ${sessionId} AND "idempotencyKey" = ${key})`);
    go.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "prior")`);
  }
  ctes.push(Prisma.sql`"go" AS MATERIALIZED (SELECT l.* FROM "locked" AS l WHERE ${Prisma.join(go, " AND ")})`);
  if (key !== undefined) {
    ctes.push(Prisma.sql`"recorded" AS (
      INSERT INTO "SessionAppend" ("sessionId", "idempotencyKey", "firstSeq", "count", "createdAt")
      SELECT g."id", ${key}, g."lastSeq" + 1, ${delta.count}::int, ${now}::timestamp(3) FROM "go" AS g
      ON CONFLICT DO NOTHING
      RETURNING "sessionId")`);
    ctes.push(Prisma.sql`"appended" AS MATERIALIZED (SELECT g.* FROM "go" AS g WHERE EXISTS (SELECT 1 FROM "recorded"))`);
  } else {
    ctes.push(Prisma.sql`"appended" AS MATERIALIZED (SELECT * FROM "go")`);
  }
  const rows = JSON.stringify(a.events.map(({ id, body: { type, ...payload } }, i) => ({ id, ord: i + 1, type, payload })));
  ctes.push(Prisma.sql`"written" AS (
    INSERT INTO "SessionEvent" ("id", "sessionId", "seq", "type", "payload", "processedAt", "createdAt", "actor")
    SELECT e."id", p."id", p."lastSeq" + e."ord", e."type", e."payload", ${now}::timestamp(3), ${now}::timestamp(3), ${a.actor ? JSON.stringify(a.actor) : null}::jsonb
    FROM "appended" AS p CROSS JOIN jsonb_to_recordset(${rows}::jsonb) AS e("id" text, "ord" integer, "type" text, "payload" jsonb)
    RETURNING "id", "seq", "type", "payload", "processedAt", "createdAt", "actor")`);
  ctes.push(Prisma.sql`"updated" AS (
    UPDATE "Session" AS s SET "lastSeq" = p."lastSeq" + ${delta.count}::int, "updatedAt" = ${now}::timestamp(3)${stateChanges(delta)}${patchChanges(a.patch)}
    FROM "appended" AS p WHERE s."id" = p."id"
    RETURNING s."lastSeq", s."status", s."stopReason", s."usage")`);
  if (a.enqueue) ctes.push(Prisma.sql`"woken" AS (${a.enqueue})`);
  if (a.outbox) ctes.push(Prisma.sql`"outboxed" AS (${a.outbox})`);

  const prior =
    key === undefined
      ? Prisma.sql`NULL::json`
      : Prisma.sql`(SELECT json_build_object('firstSeq', p."firstSeq", 'count', p."count", 'events', (
          SELECT json_agg(${EVENT_JSON} ORDER BY e."seq") FROM "SessionEvent" AS e
          WHERE e."sessionId" = ${sessionId} AND e."seq" >= p."firstSeq" AND e."seq" < p."firstSeq" + p."count"))
        FROM "prior" AS p)`;
  // the events others appended after `readAfter` (in this statement's snapshot: an append it waited
  // for is missing, which the caller's check of the seqs finds), then this append's own, as stored
  const read =
    a.readAfter === undefined
      ? Prisma.sql`NULL::json`
      : Prisma.sql`(SELECT json_agg(r."event" ORDER BY r."seq") FROM (
          SELECT e."seq", ${EVENT_JSON} AS "event" FROM "SessionEvent" AS e, "appended" AS p
          WHERE e."sessionId" = ${sessionId} AND e."seq" > ${a.readAfter}::int AND e."seq" <= p."lastSeq"${
            a.readLimit === undefined ? Prisma.empty : Prisma.sql` AND p."lastSeq" - ${a.readAfter}::int <= ${a.readLimit}::int`
          }
          UNION ALL
          SELECT e."seq", ${EVENT_JSON} AS "event" FROM "written" AS e) AS r)`;
  const [row] = await sql.$queryRaw<TOutcomeRow[]>`
    WITH ${Prisma.join(ctes, ",\n")}
    SELECT
      (SELECT json_build_object('teamId', l."teamId", 'archived', l."archivedAt" IS NOT NULL, 'lastSeq', l."lastSeq",
         'status', l."status", 'stopReason', l."stopReason", 'usage', l."usage") FROM "locked" AS l) AS "before",
      ${a.fence ? Prisma.sql`EXISTS (SELECT 1 FROM "fence")` : Prisma.sql`true`} AS "leased",
      ${prior} AS "prior",
      (SELECT json_build_object('lastSeq', u."lastSeq", 'status', u."status", 'stopReason', u."stopReason", 'usage', u."usage")
         FROM "updated" AS u) AS "after",
      ${read} AS "read"${
        a.claiming
          ? Prisma.sql`,
      (SELECT row_to_json(w) FROM "woken" AS w) AS "woken",
      (SELECT ${sessionJsonSql("l")} FROM "locked" AS l) AS "session"`
          : Prisma.empty
      }`;
  const before = jsonColumn<TOutcomeRow["before"]>(row!.before);
  if (!before) return { kind: "not_found" };
  const reason = a.ifOpen ? refusalOf(before, a.ifOpen) : null;
  if (reason) return { kind: "refused", reason };
  if (!row!.leased) return { kind: "lease_lost" };
  const after = jsonColumn<TOutcomeRow["after"]>(row!.after);
  if (after) {
    const state = stateFromRow(after);
    const read = readBack(sessionId, a.readAfter, after.lastSeq, row!.read);
    // the record as locked, with the state and the time this append wrote (a patch is not in it: no claiming append has one)
    const claimed = a.claiming && row!.session ? { woken: jsonColumn(row!.woken), session: { ...sessionFromJson(row!.session), state, updatedAt: now } } : undefined;
    return { kind: "written", firstSeq: before.lastSeq + 1, state, read, ...(claimed ? { claimed } : {}) };
  }
  const earlier = jsonColumn<TOutcomeRow["prior"]>(row!.prior);
  if (earlier) return { kind: "duplicate", state: stateFromRow(before), events: (earlier.events ?? []).map((e) => eventFromJson(sessionId, e)) };
  if (a.ifLastSeq !== undefined && before.lastSeq !== a.ifLastSeq) return { kind: "moved", lastSeq: before.lastSeq };
  return { kind: "conflict" };
}

/** The state columns after the batch: `applySessionDelta` in SQL, on the locked row `p`. */
function stateChanges(delta: TSessionDelta): Prisma.Sql {
  const live = (value: Prisma.Sql, column: string) => Prisma.sql`, ${Prisma.raw(`"${column}"`)} = CASE WHEN p."status" = 'terminated' THEN p.${Prisma.raw(`"${column}"`)} ELSE ${value} END`;
  const parts: Prisma.Sql[] = [];
  if (delta.status !== null) parts.push(live(Prisma.sql`${delta.status}::text`, "status"));
  if (delta.stopReason !== null) {
    const value = delta.stopReason.value === null ? null : JSON.stringify(delta.stopReason.value);
    parts.push(live(Prisma.sql`${value}::jsonb`, "stopReason"));
  }
  const u = delta.usage;
  if (Object.values(u).some((n) => n !== 0)) {
    const sum = (field: keyof typeof u) => Prisma.sql`${field}::text, COALESCE((p."usage" ->> ${field}::text)::numeric, 0) + ${u[field]}::numeric`;
    const usage = Prisma.sql`jsonb_build_object(${Prisma.join((Object.keys(u) as Array<keyof typeof u>).map(sum), ", ")})`;
    parts.push(live(usage, "usage"));
  }
  return parts.length === 0 ? Prisma.empty : Prisma.join(parts, "");
}

function patchChanges(patch: TSessionPatch | undefined): Prisma.Sql {
  const title = patch?.title !== undefined ? Prisma.sql`, "title" = ${patch.title}::text` : Prisma.empty;
  const metadata = patch?.metadata !== undefined ? Prisma.sql`, "metadata" = ${JSON.stringify(patch.metadata)}::jsonb` : Prisma.empty;
  const budget = patch?.budget !== undefined ? Prisma.sql`, "budget" = ${patch.budget === null ? null : JSON.stringify(patch.budget)}::jsonb` : Prisma.empty;
  return Prisma.sql`${title}${metadata}${budget}`;
}

/** The events of `read` when they are the whole log after `readAfter` up to `lastSeq`, with no gap; otherwise undefined. */
function readBack(sessionId: string, readAfter: number | undefined, lastSeq: number, value: unknown): TStoredEvent[] | undefined {
  if (readAfter === undefined) return undefined;
  const events = (jsonColumn<unknown[] | null>(value) ?? []).map((e) => eventFromJson(sessionId, e));
  const complete = events.length === lastSeq - readAfter && events.every((e, i) => e.seq === readAfter + 1 + i);
  return complete ? events : undefined;
}
