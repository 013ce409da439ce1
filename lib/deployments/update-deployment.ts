import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody } from "@/lib/resource/metadata";
import { checkDeploymentTargets, type TDeploymentAgent } from "./check-deployment-targets";
import { checkInitialEvents } from "./check-initial-events";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { withLockedDeployment } from "./find-team-deployment";
import { nextTickAfter } from "./schedule-next";
import { ZDeploymentUpdateSchema, type TDeploymentCreate } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments/{id}`: omitted fields are kept, `null` clears the nullable ones, metadata is
 * a patch. When it changes what the deployment runs (agent, environment, vaults, resources), all of
 * that is checked again as on create (an omitted `agent` keeps its pinned version).
 * A new or changed schedule starts from now: ticks before the change never run. An archived
 * deployment refuses (400 `deployment_archived`).
 */
export async function updateDeployment(deps: TDeploymentDeps, options: { teamId: string; deploymentId: string; body: unknown }) {
  const input = parseBody(ZDeploymentUpdateSchema, options.body);
  if (input.initial_events) checkInitialEvents(input.initial_events);
  const now = clockOf(deps);
  return withLockedDeployment(deps.prisma, { ...options, writable: true }, async (tx, current) => {
    const targets = {
      agent: input.agent ?? (current.agent as TDeploymentAgent),
      environment_id: input.environment_id ?? current.environmentId,
      vault_ids: input.vault_ids === undefined ? current.vaultIds : (input.vault_ids ?? []),
      resources: input.resources === undefined ? (current.resources as TDeploymentCreate["resources"]) : (input.resources ?? []),
      budget: input.budget === undefined ? current.budget : input.budget,
    };
    const retargeted = [input.agent, input.environment_id, input.vault_ids, input.resources, input.budget].some((field) => field !== undefined);
    // a rename or a new schedule leaves what it runs alone, even when that is now archived (its runs say so)
    const agent = retargeted ? await checkDeploymentTargets(deps.prisma, options.teamId, targets) : targets.agent;
    const schedule = input.schedule;
    const scheduleChanged =
      schedule !== undefined && ((schedule?.expression.trim() ?? null) !== current.scheduleExpression || (schedule?.timezone ?? null) !== current.scheduleTimezone);
    await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: current.id, type: "deployment.updated", at: now });
    const updated = await tx.deployment.update({
      where: { id: current.id },
      data: {
        updatedAt: now,
        name: input.name ?? current.name,
        description: input.description === undefined ? current.description : input.description,
        agent: agent as Prisma.InputJsonValue,
        environmentId: targets.environment_id,
        vaultIds: [...new Set(targets.vault_ids)],
        resources: (targets.resources ?? []) as Prisma.InputJsonValue,
        ...(input.initial_events ? { initialEvents: input.initial_events as Prisma.InputJsonValue } : {}),
        ...(input.metadata ? { metadata: applyMetadataPatch(metadataFromJson(current.metadata), input.metadata) } : {}),
        ...(input.budget !== undefined ? { budget: input.budget ?? Prisma.DbNull } : {}),
        ...(scheduleChanged
          ? { scheduleExpression: schedule?.expression.trim() ?? null, scheduleTimezone: schedule?.timezone ?? null, scheduleNextAt: nextTickAfter(schedule ?? null, now) }
          : {}),
      },
    });
    return deploymentToWire(updated, now);
  });
}
