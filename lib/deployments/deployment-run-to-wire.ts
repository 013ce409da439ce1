import "server-only";
import type { DeploymentRun } from "@/lib/generated/prisma/client";
import { agentReference } from "./deployment-to-wire";

/** A run's error (SDK 1.17 `BetaManagedAgentsDeploymentRun.error`): a type and a message. */
export type TRunError = { type: string; message: string };

/**
 * The DeploymentRun object (SDK 1.17 `BetaManagedAgentsDeploymentRun`): the session the run
 * created, or the error that kept it from being created (both null while it is being created).
 */
export function deploymentRunToWire(run: DeploymentRun) {
  return {
    id: run.id,
    type: "deployment_run" as const,
    deployment_id: run.deploymentId,
    agent: agentReference(run.agent),
    session_id: run.sessionId,
    error: (run.error as TRunError | null) ?? null,
    trigger_context:
      run.triggerType === "schedule" && run.scheduledAt ? { type: "schedule" as const, scheduled_at: run.scheduledAt.toISOString() } : { type: "manual" as const },
    created_at: run.createdAt.toISOString(),
  };
}

export type TWireDeploymentRun = ReturnType<typeof deploymentRunToWire>;
