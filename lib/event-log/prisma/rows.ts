import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TStopReason } from "../events";
import { ZERO_USAGE, type TSessionState, type TSessionUsage } from "../fold";
import type { TNewSession, TSessionRecord } from "../session-store";

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
  additionalEnvironments?: Prisma.JsonValue;
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
    ...additionalOf(row.additionalEnvironments),
    state: stateFromRow(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt ? row.archivedAt.toISOString() : null,
  };
}

/** The record's `additionalEnvironments`, only when there are some (a session of one environment reads as before). */
export function additionalOf(value: unknown): Pick<TSessionRecord, "additionalEnvironments"> {
  return Array.isArray(value) && value.length > 0 ? { additionalEnvironments: value as NonNullable<TSessionRecord["additionalEnvironments"]> } : {};
}

/**
 * The `Session` row of a new session, as Prisma creates it: its columns from `input`, its state
 * columns from `state` (the initial state, or the state folded from the log it is created with),
 * and its repositories as a nested write (Prisma inserts them in the same transaction).
 */
export function newSessionRow(id: string, input: TNewSession, state: TSessionState): Prisma.SessionUncheckedCreateInput {
  return {
    id,
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
    createdBy: input.createdBy ?? null,
    additionalEnvironments: (input.additionalEnvironments ?? []) as Prisma.InputJsonArray,
    lastSeq: state.lastSeq,
    status: state.status,
    stopReason: state.stopReason ? (state.stopReason as Prisma.InputJsonObject) : Prisma.DbNull,
    usage: state.usage,
    ...(input.repositories && input.repositories.length > 0
      ? { repositories: { createMany: { data: input.repositories.map((r) => ({ ...r, checkout: r.checkout ?? undefined })) } } }
      : {}),
  };
}
