import "server-only";
import { Prisma, type Deployment, type DeploymentRun } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { TEventActor } from "@/lib/event-log/events";
import { log } from "@/lib/log";
import { checkDeploymentTargets, type TDeploymentAgent } from "./check-deployment-targets";
import type { TDeploymentDeps } from "./deployment-deps";
import type { TRunError } from "./deployment-run-to-wire";
import type { TDeploymentCreate } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/** Creates a session as `POST /v1/sessions` does (lib/sessions/create-session.ts, bound by the composition root). */
export type TCreateRunSession = (options: { teamId: string; body: unknown; createdBy?: string | null; actor?: TEventActor }) => Promise<{ id: string }>;

export type TRunDeps = TDeploymentDeps & { createSession: TCreateRunSession };

/**
 * Run errors that pause a deployment when a scheduled run records one (SDK 1.17
 * `BetaManagedAgentsDeploymentPausedReasonErrorObject`): they will not go away by themselves, so
 * the schedule stops until someone fixes the deployment and unpauses it. A rejected or rate-limited
 * session creation does not pause: the next tick may succeed.
 */
const PAUSING = new Set([
  "environment_archived_error",
  "agent_archived_error",
  "environment_not_found_error",
  "vault_not_found_error",
  "file_not_found_error",
  "session_resource_not_found_error",
  "memory_store_archived_error",
  "vault_archived_error",
  "unknown_error",
]);

/**
 * Runs a claimed run: checks what the deployment names (an archived agent is `agent_archived_error`
 * and so on), creates the session with the deployment's initial events through the session
 * use-case, and records on the run the session's id or the error. A scheduled run whose error is
 * one of `PAUSING` pauses the deployment (`paused_reason: {type: "error", error: {type}}`).
 */
export async function executeDeploymentRun(
  deps: TRunDeps,
  deployment: Deployment,
  run: DeploymentRun,
  options: { createdBy?: string | null; actor?: TEventActor } = {},
): Promise<DeploymentRun> {
  let sessionId: string | null = null;
  let error: TRunError | null = null;
  try {
    const targets = {
      agent: deployment.agent as TDeploymentAgent,
      environment_id: deployment.environmentId,
      vault_ids: deployment.vaultIds,
      resources: deployment.resources as TDeploymentCreate["resources"],
    };
    await checkDeploymentTargets(deps.prisma, deployment.teamId, targets);
    const session = await deps.createSession({
      teamId: deployment.teamId,
      body: {
        ...targets,
        title: deployment.name,
        initial_events: deployment.initialEvents,
        ...(deployment.budget ? { budget: deployment.budget } : {}),
      },
      createdBy: options.createdBy ?? null,
      actor: options.actor,
    });
    sessionId = session.id;
  } catch (cause) {
    error = runErrorOf(cause);
    if (error.type === "unknown_error") log.error("deployment run failed", { deploymentId: deployment.id, runId: run.id, error: cause instanceof Error ? cause.message : String(cause) });
  }
  // the outcome, its webhook (deployment_run.succeeded or .failed) and a pause (deployment.paused) commit together
  return deps.prisma.$transaction(async (tx) => {
    const recorded = await tx.deploymentRun.update({ where: { id: run.id }, data: { sessionId, ...(error ? { error } : {}) } });
    const teamId = deployment.teamId;
    await recordWebhookEvent(tx, { teamId, subjectId: run.id, type: error ? "deployment_run.failed" : "deployment_run.succeeded" });
    if (error && run.triggerType === "schedule" && PAUSING.has(error.type)) {
      const paused = await tx.deployment.updateMany({
        where: { id: deployment.id, archivedAt: null, pausedReason: { equals: Prisma.DbNull } },
        data: { pausedReason: { type: "error", error: { type: error.type } } },
      });
      if (paused.count > 0) await recordWebhookEvent(tx, { teamId, subjectId: deployment.id, type: "deployment.paused" });
    }
    return recorded;
  });
}

/** The run error a failed session creation is recorded as. */
export function runErrorOf(cause: unknown): TRunError {
  if (cause instanceof AppError) {
    const runError = cause.details?.runError;
    if (typeof runError === "string") return { type: runError, message: cause.message };
    if (cause.code === "rate_limited") return { type: "session_rate_limited_error", message: cause.message };
    if (cause.code === "invalid_request" || cause.code === "not_found" || cause.code === "conflict") return { type: "session_creation_rejected_error", message: cause.message };
  }
  return { type: "unknown_error", message: "the session could not be created" };
}
