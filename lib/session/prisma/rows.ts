import type { Prisma } from "@/lib/generated/prisma/client";
import type { TEventBody, TStopReason, TStoredEvent } from "../events";
import type { TSessionState, TSessionUsage } from "../fold";
import type { TSessionRecord } from "../session-store";

/** Mapping between Prisma rows and the session domain's types. */

type TEventRow = {
  id: string;
  sessionId: string;
  seq: number;
  type: string;
  payload: Prisma.JsonValue;
  processedAt: Date | null;
  createdAt: Date;
};

export function eventFromRow(row: TEventRow): TStoredEvent {
  return {
    id: row.id,
    sessionId: row.sessionId,
    seq: row.seq,
    processedAt: row.processedAt ? row.processedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    body: { ...(row.payload as Record<string, unknown>), type: row.type } as TEventBody,
  };
}

export function eventToRow(event: TStoredEvent): Prisma.SessionEventCreateManyInput {
  const { type, ...payload } = event.body;
  return {
    id: event.id,
    sessionId: event.sessionId,
    seq: event.seq,
    type,
    payload: payload as Prisma.InputJsonObject,
    processedAt: event.processedAt ? new Date(event.processedAt) : null,
    createdAt: new Date(event.createdAt),
  };
}

type TStateColumns = { lastSeq: number; status: string; stopReason: Prisma.JsonValue | null; usage: Prisma.JsonValue };

export function stateFromRow(row: TStateColumns): TSessionState {
  return {
    status: row.status as TSessionState["status"],
    stopReason: (row.stopReason ?? null) as TStopReason | null,
    usage: row.usage as TSessionUsage,
    lastSeq: row.lastSeq,
  };
}

type TSessionRow = TStateColumns & {
  id: string;
  teamId: string;
  agentId: string;
  agentVersion: number;
  agentSnapshot: Prisma.JsonValue;
  environmentId: string;
  title: string | null;
  metadata: Prisma.JsonValue;
  vaultIds: string[];
  resources: Prisma.JsonValue;
  budget: Prisma.JsonValue | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

export function sessionFromRow(row: TSessionRow): TSessionRecord {
  return {
    id: row.id,
    teamId: row.teamId,
    agentId: row.agentId,
    agentVersion: row.agentVersion,
    agentSnapshot: row.agentSnapshot as Record<string, unknown>,
    environmentId: row.environmentId,
    title: row.title,
    metadata: row.metadata as Record<string, string>,
    vaultIds: row.vaultIds,
    resources: row.resources as unknown[],
    budget: (row.budget ?? null) as Record<string, unknown> | null,
    state: stateFromRow(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt ? row.archivedAt.toISOString() : null,
  };
}
