import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/resource/parse";
import type { VaultCipher } from "@/lib/vault/cipher";
import { ZResourceUpdateSchema } from "../schemas";
import { sealRepositoryToken } from "../session-repositories";
import { changeSessionResources, findResource } from "./change-session-resources";

/**
 * `POST /v1/sessions/{id}/resources/{resource_id}`: a github_repository's new `authorization_token`
 * (rotation), sealed into its row in place of the old one; the resource's `updated_at` moves. The
 * token is used by the host-side clone of each new sandbox: a sandbox cloned already keeps its
 * checkout. Other resources have no token (400). The token is never returned.
 */
export async function updateSessionResource(
  deps: { prisma: PrismaClient; cipher: () => VaultCipher },
  options: { teamId: string; sessionId: string; resourceId: string; body: unknown },
) {
  const input = parseWith(ZResourceUpdateSchema, options.body);
  return changeSessionResources(deps.prisma, options, async (resources, tx) => {
    const resource = findResource(resources, options.resourceId);
    if (resource.type !== "github_repository") {
      throw new AppError("invalid_request", `authorization_token: session resource ${options.resourceId} is a ${resource.type}: only github_repository resources have a token`, { path: "authorization_token" });
    }
    const sealed = sealRepositoryToken(deps.cipher(), options.sessionId, options.resourceId, input.authorization_token);
    const { count } = await tx.sessionRepository.updateMany({ where: { id: options.resourceId, sessionId: options.sessionId }, data: sealed });
    if (count === 0) throw new AppError("not_found", `session resource ${options.resourceId} not found`);
    const updated = { ...resource, updated_at: new Date().toISOString() };
    return { resources: resources.map((r) => (r === resource ? updated : r)), result: updated };
  });
}
