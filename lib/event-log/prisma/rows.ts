import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TStopReason } from "../events";
import { ZERO_USAGE, type TSessionState, type TSessionUsage } from "../fold";
import type { TSessionRecord } from "../session-store";

/** Mapping between Prisma rows and the session domain's types. */

type TStateColumns = { lastSeq: number; status: string; stopReason: Prisma.JsonValue | null; usage: Prisma.JsonValue };

export function stateFromRow(row: TStateColumns): TSessionState {
  return {
    status: row.status as TSessionState["status"],
    stopReason: (row.stopReason ?? null) as TStopReason | null,
    // a row folded before a usage field existed lacks it: it counts as 0
    usage: { ...ZERO_USAGE, ...(row.usage as Partial<TSessionUsage>) },
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
