import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { changeSessionResources, findResource } from "./change-session-resources";

/**
 * `DELETE /v1/sessions/{id}/resources/{resource_id}`: the resource is gone from the session's list
 * and from every sandbox provisioned after (a repository's row and sealed token are deleted with
 * it). What a sandbox already has stays there: a copied file or a cloned repository is the
 * workspace's now, until that sandbox is replaced.
 *
 * Decision: a memory_store resource cannot be removed (400): a running sandbox keeps its mount and
 * keeps saving what is written there, so removing it from the list would not take the store away.
 */
export async function deleteSessionResource(deps: { prisma: PrismaClient }, options: { teamId: string; sessionId: string; resourceId: string }) {
  return changeSessionResources(deps.prisma, options, async (resources, tx) => {
    const resource = findResource(resources, options.resourceId);
    if (resource.type === "memory_store") {
      throw new AppError("invalid_request", `session resource ${options.resourceId} is a memory store: memory stores stay mounted for the session's life`);
    }
    if (resource.type === "github_repository") await tx.sessionRepository.deleteMany({ where: { id: options.resourceId, sessionId: options.sessionId } });
    return { resources: resources.filter((r) => r !== resource), result: { id: options.resourceId, type: "session_resource_deleted" as const } };
  });
}
