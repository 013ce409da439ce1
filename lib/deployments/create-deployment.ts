import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseBody } from "@/lib/resource/metadata";
import { checkDeploymentTargets } from "./check-deployment-targets";
import { checkInitialEvents } from "./check-initial-events";
import { clockOf, type TDeploymentDeps } from "./deployment-deps";
import { deploymentToWire } from "./deployment-to-wire";
import { nextTickAfter } from "./schedule-next";
import { ZDeploymentCreateSchema } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/deployments`. Everything it names is checked (check-deployment-targets.ts) and the agent
 * pinned to a version before anything is written. A schedule starts from now: its first run is its
 * first tick after creation (`scheduleCursor`).
 */
export async function createDeployment(deps: TDeploymentDeps, options: { teamId: string; body: unknown }) {
  const input = parseBody(ZDeploymentCreateSchema, options.body);
  checkInitialEvents(input.initial_events);
  const agent = await checkDeploymentTargets(deps.prisma, options.teamId, input);
  const now = clockOf(deps);
  const id = newId("deployment", now.getTime());
  const create = deps.prisma.deployment.create({
    data: {
      id,
      teamId: options.teamId,
      name: input.name,
      description: input.description ?? null,
      agent: agent as Prisma.InputJsonValue,
      environmentId: input.environment_id,
      initialEvents: input.initial_events as Prisma.InputJsonValue,
      metadata: input.metadata ?? {},
      resources: (input.resources ?? []) as Prisma.InputJsonValue,
      vaultIds: [...new Set(input.vault_ids ?? [])],
      budget: input.budget ?? Prisma.DbNull,
      scheduleExpression: input.schedule?.expression.trim() ?? null,
      scheduleTimezone: input.schedule?.timezone ?? null,
      scheduleNextAt: nextTickAfter(input.schedule ?? null, now),
      pausedReason: Prisma.DbNull,
      createdAt: now,
      updatedAt: now,
    },
  });
  // the deployment.created webhook commits with the deployment
  const [deployment] = await deps.prisma.$transaction([create, recordWebhookEvent(deps.prisma, { teamId: options.teamId, subjectId: id, type: "deployment.created", at: now })]);
  return deploymentToWire(deployment, now);
}
