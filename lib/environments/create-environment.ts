import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { parseBody } from "@/lib/resource/metadata";
import { newId } from "@/lib/ids";
import { checkSandboxProvider, configuredSandboxProviders } from "./check-sandbox-provider";
import { resolveConfig } from "./environment-config";
import { environmentToWire } from "./environment-to-wire";
import { ZEnvironmentCreateSchema, type TSandboxProviderName } from "./schemas";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/**
 * `POST /v1/environments`: a cloud environment with default networking and packages unless a config
 * says otherwise. `sandboxProviders`: what this installation can run (default: from its environment).
 */
export async function createEnvironment(
  prisma: PrismaClient,
  options: { teamId: string; body: unknown; sandboxProviders?: readonly TSandboxProviderName[] },
) {
  const input = parseBody(ZEnvironmentCreateSchema, options.body);
  const config = resolveConfig(input.config);
  checkSandboxProvider(config, undefined, options.sandboxProviders ?? configuredSandboxProviders());
  const id = newId("environment");
  const create = prisma.environment.create({
    data: {
      id,
      teamId: options.teamId,
      name: input.name,
      description: input.description || null,
      config: config as Prisma.InputJsonObject,
      metadata: input.metadata ?? {},
      scope: input.scope ?? null,
    },
  });
  // the environment.created webhook commits with the environment
  const [env] = await prisma.$transaction([create, recordWebhookEvent(prisma, { teamId: options.teamId, subjectId: id, type: "environment.created" })]);
  return environmentToWire(env);
}
