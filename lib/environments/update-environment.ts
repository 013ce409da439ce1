import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody } from "@/lib/resource/metadata";
import { AppError } from "@/lib/errors";
import { checkSandboxProvider, configuredSandboxProviders } from "./check-sandbox-provider";
import { configFromJson, resolveConfig } from "./environment-config";
import { environmentToWire } from "./environment-to-wire";
import { findTeamEnvironment } from "./find-team-environment";
import { ZEnvironmentUpdateSchema, type TSandboxProviderName } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/environments/{id}`: omitted fields are kept; config fields are merged into the stored
 * config (its type cannot change: 400 `invalid_config_type_change`); metadata is a patch where
 * null or "" deletes a key. Archived environments refuse updates (400 `environment_archived`).
 * The row is locked while the update is applied, so concurrent metadata patches all land. An
 * update that changes nothing writes nothing. `sandboxProviders`: what this installation can run
 * (default: from its environment).
 */
export async function updateEnvironment(
  prisma: PrismaClient,
  options: { teamId: string; environmentId: string; body: unknown; sandboxProviders?: readonly TSandboxProviderName[] },
) {
  const input = parseBody(ZEnvironmentUpdateSchema, options.body);
  const { teamId, environmentId } = options;
  const env = await prisma.$transaction(async (tx) => {
    await findTeamEnvironment(tx, teamId, environmentId);
    await tx.$queryRaw`SELECT "id" FROM "Environment" WHERE "id" = ${environmentId} FOR UPDATE`;
    const current = await findTeamEnvironment(tx, teamId, environmentId);
    if (current.archivedAt) {
      throw new AppError("invalid_request", `environment ${current.id} is archived: archived environments cannot be updated`, { errorCode: "environment_archived" });
    }
    const stored = configFromJson(current.config);
    const config = resolveConfig(input.config, stored);
    checkSandboxProvider(config, stored, options.sandboxProviders ?? configuredSandboxProviders());
    const metadata = input.metadata ? applyMetadataPatch(metadataFromJson(current.metadata), input.metadata, { deleteEmpty: true }) : undefined;
    const data: Prisma.EnvironmentUpdateInput = {};
    if (input.name != null && input.name !== current.name) data.name = input.name;
    if (input.description !== undefined && (input.description || null) !== current.description) data.description = input.description || null;
    if (input.scope !== undefined && input.scope !== current.scope) data.scope = input.scope;
    if (JSON.stringify(config) !== JSON.stringify(stored)) data.config = config as Prisma.InputJsonObject;
    if (metadata && JSON.stringify(metadata) !== JSON.stringify(metadataFromJson(current.metadata))) data.metadata = metadata;
    if (Object.keys(data).length === 0) return current;
    await recordWebhookEvent(tx, { teamId, subjectId: current.id, type: "environment.updated" });
    return tx.environment.update({ where: { id: current.id }, data });
  });
  return environmentToWire(env);
}
