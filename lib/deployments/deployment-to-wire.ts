import "server-only";
import type { Deployment } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";
import { upcomingTicks } from "./cron-schedule";

/** How many upcoming ticks a deployment lists (`schedule.upcoming_runs_at`). */
const UPCOMING = 5;

/** The wire agent reference of a stored agent parameter: `{ type: "agent", id, version }`. */
export function agentReference(agent: unknown) {
  const ref = agent as { id: string; version: number };
  return { type: "agent" as const, id: ref.id, version: ref.version };
}

/**
 * The Deployment object of the Managed Agents API (SDK 1.17 `BetaManagedAgentsDeployment`).
 * `status` is `paused` exactly when `paused_reason` is set; an archived deployment reports
 * `active` with `archived_at` set and no upcoming runs. Upcoming ticks are those after `now`, or
 * from the next tick the scheduler will run when that is later (a tick already run is not upcoming).
 */
export function deploymentToWire(deployment: Deployment, now: Date = new Date()) {
  const next = deployment.scheduleNextAt && !deployment.pausedReason ? deployment.scheduleNextAt.getTime() - 1 : 0;
  const from = new Date(Math.max(now.getTime(), next));
  const schedule =
    deployment.scheduleExpression && deployment.scheduleTimezone
      ? {
          type: "cron" as const,
          expression: deployment.scheduleExpression,
          timezone: deployment.scheduleTimezone,
          last_run_at: deployment.lastScheduledRunAt?.toISOString() ?? null,
          upcoming_runs_at: deployment.archivedAt
            ? []
            : upcomingTicks({ expression: deployment.scheduleExpression, timezone: deployment.scheduleTimezone }, from, UPCOMING).map((d) => d.toISOString()),
        }
      : null;
  return {
    id: deployment.id,
    type: "deployment" as const,
    name: deployment.name,
    description: deployment.description,
    agent: agentReference(deployment.agent),
    environment_id: deployment.environmentId,
    initial_events: deployment.initialEvents as Record<string, unknown>[],
    metadata: metadataFromJson(deployment.metadata),
    resources: deployment.resources as Record<string, unknown>[],
    vault_ids: deployment.vaultIds,
    ...(deployment.budget ? { budget: deployment.budget as Record<string, unknown> } : {}),
    schedule,
    status: deployment.pausedReason ? ("paused" as const) : ("active" as const),
    paused_reason: (deployment.pausedReason as Record<string, unknown> | null) ?? null,
    created_at: deployment.createdAt.toISOString(),
    updated_at: deployment.updatedAt.toISOString(),
    archived_at: deployment.archivedAt?.toISOString() ?? null,
  };
}

export type TWireDeployment = ReturnType<typeof deploymentToWire>;
