import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { jsonColumn, type DirectSql } from "@/lib/db/direct-sql";
import type { TEventActor, TEventBody, TStoredEvent } from "../events";
import type { TNormalizedEventQuery, TSessionRecord, TSessionSnapshot } from "../session-store";
import { additionalOf, stateFromRow } from "./rows";

/**
 * The session log's statements, run on the driver (`DirectSql`). Timestamps are `timestamp(3)`
 * columns in UTC, as Prisma writes them: they go in as ISO strings (the zone is dropped by the cast,
 * and it is always `Z`) and come out formatted as ISO strings by the database.
 */

const ISO = Prisma.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);
const EVENT_COLUMNS = Prisma.sql`"id", "seq", "type", "payload", to_char("processedAt", ${ISO}) AS "processedAt", to_char("createdAt", ${ISO}) AS "createdAt", "actor"`;

type TEventRow = { id: string; seq: number; type: string; payload: Record<string, unknown>; processedAt: string | null; createdAt: string; actor?: TEventActor | string | null };

function eventFromRow(sessionId: string, row: TEventRow): TStoredEvent {
  const event: TStoredEvent = { id: row.id, sessionId, seq: row.seq, processedAt: row.processedAt, createdAt: row.createdAt, body: { ...row.payload, type: row.type } as TEventBody };
  // drivers give a jsonb column parsed, or as text
  const actor = typeof row.actor === "string" ? (JSON.parse(row.actor) as TEventActor) : row.actor;
  return actor ? { ...event, actor } : event;
}

/**
 * A positional slice (see `TEventQuery`), and whether the session exists, in one statement: an
 * empty slice of an unknown session is `not_found`, and telling that apart costs no second round
 * trip.
 */
export async function selectEvents(tx: DirectSql, sessionId: string, q: TNormalizedEventQuery): Promise<{ found: boolean; events: TStoredEvent[] }> {
  const before = q.beforeSeq === null ? Prisma.empty : Prisma.sql`AND "seq" < ${q.beforeSeq}`;
  const types = q.types === null ? Prisma.empty : Prisma.sql`AND "type" = ANY(${[...q.types]}::text[])`;
  const ids = q.ids === null ? Prisma.empty : Prisma.sql`AND "id" = ANY(${[...q.ids]}::text[])`;
  const order = Prisma.raw(q.order === "desc" ? "DESC" : "ASC");
  const rows = await tx.$queryRaw<Array<{ found: boolean } & { [K in keyof TEventRow]: TEventRow[K] | null }>>`
    SELECT EXISTS (SELECT 1 FROM "Session" WHERE "id" = ${sessionId}) AS "found", e.*
    FROM (SELECT 1) AS "one" LEFT JOIN LATERAL (
      SELECT ${EVENT_COLUMNS} FROM "SessionEvent"
      WHERE "sessionId" = ${sessionId} AND "seq" > ${q.afterSeq} ${before} ${types} ${ids}
      ORDER BY "seq" ${order}
      LIMIT ${q.limit}
    ) AS e ON true
    ORDER BY e."seq" ${order}`;
  const events = rows.flatMap((row) => (row.id === null ? [] : [eventFromRow(sessionId, row as TEventRow)]));
  return { found: rows[0]?.found === true, events };
}

/** The JSON object of a `"SessionEvent"` row aliased `e`, as `eventFromJson` reads it. */
export const EVENT_JSON = Prisma.sql`json_build_object('id', e."id", 'seq', e."seq", 'type', e."type", 'payload', e."payload",
  'processedAt', to_char(e."processedAt", ${ISO}), 'createdAt', to_char(e."createdAt", ${ISO}), 'actor', e."actor")`;

export function eventFromJson(sessionId: string, json: unknown): TStoredEvent {
  return eventFromRow(sessionId, json as TEventRow);
}

/**
 * The session `sessionId` (an SQL expression) and the first `limit` events of its log after the seq
 * `afterSeq` (an SQL expression; 0: from the start), as one JSON value (null when there is no such
 * session), for a statement that returns them beside its own result: `PrismaWorkQueue.claim` hands
 * them to the wake it starts, which then reads neither. Read in that statement's snapshot, as one
 * read would be.
 */
export function sessionSnapshotSql(sessionId: Prisma.Sql, limit: number, afterSeq: Prisma.Sql = Prisma.sql`0`): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object(
      'session', ${sessionJsonSql("s")},
      'events', COALESCE((
        SELECT json_agg(${EVENT_JSON} ORDER BY e."seq")
        FROM (SELECT * FROM "SessionEvent" WHERE "sessionId" = s."id" AND "seq" > ${afterSeq} ORDER BY "seq" LIMIT ${limit}) AS e
      ), '[]'::json))
    FROM "Session" AS s WHERE s."id" = ${sessionId})`;
}

/** The JSON object of a `"Session"` row aliased `alias` (every column), as `sessionFromJson` reads it. */
export function sessionJsonSql(alias: "s" | "l"): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const at = (name: string) => Prisma.sql`to_char(${column(name)}, ${ISO})`;
  return Prisma.sql`json_build_object(
        'id', ${column("id")}, 'teamId', ${column("teamId")}, 'agentId', ${column("agentId")}, 'agentVersion', ${column("agentVersion")},
        'agentSnapshot', ${column("agentSnapshot")}, 'environmentId', ${column("environmentId")}, 'title', ${column("title")},
        'metadata', ${column("metadata")}, 'vaultIds', ${column("vaultIds")}, 'resources', ${column("resources")}, 'budget', ${column("budget")},
        'additionalEnvironments', ${column("additionalEnvironments")},
        'lastSeq', ${column("lastSeq")}, 'status', ${column("status")}, 'stopReason', ${column("stopReason")}, 'usage', ${column("usage")},
        'createdAt', ${at("createdAt")}, 'updatedAt', ${at("updatedAt")}, 'archivedAt', ${at("archivedAt")})`;
}

/** Reads what `sessionSnapshotSql` selected (drivers give JSON parsed, or as text). */
export function sessionSnapshotFromJson(value: unknown): TSessionSnapshot | null {
  const json = jsonColumn<{ session: unknown; events: unknown[] } | null>(value);
  if (!json) return null;
  const session = sessionFromJson(json.session);
  return { session, events: json.events.map((e) => eventFromJson(session.id, e)) };
}

/** Reads what `sessionJsonSql` selected. */
export function sessionFromJson(value: unknown): TSessionRecord {
  const s = jsonColumn<TSessionJson>(value);
  return {
    id: s.id,
    teamId: s.teamId,
    agentId: s.agentId,
    agentVersion: s.agentVersion,
    agentSnapshot: s.agentSnapshot,
    environmentId: s.environmentId,
    title: s.title,
    metadata: s.metadata,
    vaultIds: s.vaultIds ?? [],
    resources: s.resources,
    budget: s.budget ?? null,
    ...additionalOf(s.additionalEnvironments),
    state: stateFromRow(s),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    archivedAt: s.archivedAt,
  };
}

type TSessionJson = Omit<TSessionRecord, "state"> & Parameters<typeof stateFromRow>[0];
