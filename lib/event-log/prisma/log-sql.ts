import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DirectSqlTx } from "@/lib/db/direct-sql";
import type { TEventBody, TStoredEvent } from "../events";
import type { TSessionState } from "../fold";
import type { TNormalizedEventQuery, TSessionPatch } from "../session-store";
import { stateFromRow } from "./rows";

/**
 * The session log's statements, run on the driver (`DirectSql`). Timestamps are `timestamp(3)`
 * columns in UTC, as Prisma writes them: they go in as ISO strings (the zone is dropped by the cast,
 * and it is always `Z`) and come out formatted as ISO strings by the database.
 */

const ISO = Prisma.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);
const EVENT_COLUMNS = Prisma.sql`"id", "seq", "type", "payload", to_char("processedAt", ${ISO}) AS "processedAt", to_char("createdAt", ${ISO}) AS "createdAt"`;

type TEventRow = { id: string; seq: number; type: string; payload: Record<string, unknown>; processedAt: string | null; createdAt: string };

function eventFromRow(sessionId: string, row: TEventRow): TStoredEvent {
  return { id: row.id, sessionId, seq: row.seq, processedAt: row.processedAt, createdAt: row.createdAt, body: { ...row.payload, type: row.type } as TEventBody };
}

/** Locks the session's row until the transaction ends and reads its folded state; null when there is no such session. */
export async function lockSessionState(tx: DirectSqlTx, sessionId: string): Promise<TSessionState | null> {
  const rows = await tx.$queryRaw<Array<Parameters<typeof stateFromRow>[0]>>`
    SELECT "lastSeq", "status", "stopReason", "usage" FROM "Session" WHERE "id" = ${sessionId} FOR UPDATE`;
  return rows[0] ? stateFromRow(rows[0]) : null;
}

export async function sessionExists(tx: DirectSqlTx, sessionId: string): Promise<boolean> {
  return (await tx.$queryRaw<unknown[]>`SELECT 1 FROM "Session" WHERE "id" = ${sessionId}`).length > 0;
}

/** The append an idempotency key was first used for, if it was. */
export async function priorAppend(tx: DirectSqlTx, sessionId: string, key: string): Promise<{ firstSeq: number; count: number } | null> {
  const rows = await tx.$queryRaw<Array<{ firstSeq: number; count: number }>>`
    SELECT "firstSeq", "count" FROM "SessionAppend" WHERE "sessionId" = ${sessionId} AND "idempotencyKey" = ${key}`;
  return rows[0] ?? null;
}

export async function recordAppend(tx: DirectSqlTx, sessionId: string, key: string, stored: readonly TStoredEvent[]): Promise<void> {
  await tx.$queryRaw`
    INSERT INTO "SessionAppend" ("sessionId", "idempotencyKey", "firstSeq", "count", "createdAt")
    VALUES (${sessionId}, ${key}, ${stored[0]!.seq}, ${stored.length}, ${stored[0]!.createdAt}::timestamp(3))`;
}

/**
 * Writes the events and the session's state after them in one statement: the events as one JSON
 * parameter (a batch of any size is one round trip), the state columns from the fold.
 */
export async function writeEvents(tx: DirectSqlTx, sessionId: string, stored: readonly TStoredEvent[], after: TSessionState, patch?: TSessionPatch): Promise<void> {
  const rows = JSON.stringify(
    stored.map(({ id, seq, processedAt, createdAt, body: { type, ...payload } }) => ({ id, seq, type, payload, processedAt, createdAt })),
  );
  const title = patch?.title !== undefined ? Prisma.sql`, "title" = ${patch.title}` : Prisma.empty;
  const metadata = patch?.metadata !== undefined ? Prisma.sql`, "metadata" = ${JSON.stringify(patch.metadata)}::jsonb` : Prisma.empty;
  await tx.$queryRaw`
    WITH "written" AS (
      INSERT INTO "SessionEvent" ("id", "sessionId", "seq", "type", "payload", "processedAt", "createdAt")
      SELECT e."id", ${sessionId}, e."seq", e."type", e."payload", e."processedAt", e."createdAt"
      FROM jsonb_to_recordset(${rows}::jsonb)
        AS e("id" text, "seq" integer, "type" text, "payload" jsonb, "processedAt" timestamp(3), "createdAt" timestamp(3))
    )
    UPDATE "Session" SET
      "lastSeq" = ${after.lastSeq},
      "status" = ${after.status},
      "stopReason" = ${after.stopReason === null ? null : JSON.stringify(after.stopReason)}::jsonb,
      "usage" = ${JSON.stringify(after.usage)}::jsonb,
      "updatedAt" = ${stored[0]!.createdAt}::timestamp(3)
      ${title}${metadata}
    WHERE "id" = ${sessionId}`;
}

/** A positional slice: see `TEventQuery`. */
export async function selectEvents(tx: DirectSqlTx, sessionId: string, q: TNormalizedEventQuery): Promise<TStoredEvent[]> {
  const before = q.beforeSeq === null ? Prisma.empty : Prisma.sql`AND "seq" < ${q.beforeSeq}`;
  const types = q.types === null ? Prisma.empty : Prisma.sql`AND "type" = ANY(${[...q.types]}::text[])`;
  const ids = q.ids === null ? Prisma.empty : Prisma.sql`AND "id" = ANY(${[...q.ids]}::text[])`;
  const rows = await tx.$queryRaw<TEventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM "SessionEvent"
    WHERE "sessionId" = ${sessionId} AND "seq" > ${q.afterSeq} ${before} ${types} ${ids}
    ORDER BY "seq" ${Prisma.raw(q.order === "desc" ? "DESC" : "ASC")}
    LIMIT ${q.limit}`;
  return rows.map((row) => eventFromRow(sessionId, row));
}
