import type { EnvironmentWork } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";

export type TWorkState = "queued" | "starting" | "active" | "stopping" | "stopped";

/**
 * The Work object of the Managed Agents API (reference §2.3). `secret` only on the poll that hands
 * the item out (the one moment its token exists in the clear); null on every other path.
 */
export function workToWire(row: EnvironmentWork, secret: string | null = null) {
  return {
    id: row.id,
    type: "work" as const,
    environment_id: row.environmentId,
    data: { type: "session" as const, id: row.sessionId },
    state: row.state as TWorkState,
    metadata: metadataFromJson(row.metadata),
    secret,
    created_at: row.createdAt.toISOString(),
    acknowledged_at: row.acknowledgedAt?.toISOString() ?? null,
    started_at: row.startedAt?.toISOString() ?? null,
    latest_heartbeat_at: row.latestHeartbeatAt?.toISOString() ?? null,
    stop_requested_at: row.stopRequestedAt?.toISOString() ?? null,
    stopped_at: row.stoppedAt?.toISOString() ?? null,
  };
}

export type TWireWork = ReturnType<typeof workToWire>;
