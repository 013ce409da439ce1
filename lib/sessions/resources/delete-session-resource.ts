import type { PrismaClient } from "@/lib/generated/prisma/client";
import { changeSessionResources, findResource } from "./change-session-resources";

/**
 * `DELETE /v1/sessions/{id}/resources/{resource_id}`: the resource is gone from the session's list
 * and from every sandbox provisioned after (a repository's row and sealed token are deleted with
 * it). What a sandbox already has stays there: a copied file or a cloned repository is the
 * workspace's now, until that sandbox is replaced.
 *
 * A memory store is unmounted from the running sandbox at the session's next tool call
 * (lib/harness/session-attachments.ts): what the agent wrote there was saved as memory versions at
 * the end of each tool call already, so nothing is lost; the store itself is untouched.
 */
export async function deleteSessionResource(deps: { prisma: PrismaClient }, options: { teamId: string; sessionId: string; resourceId: string }) {
  return changeSessionResources(deps.prisma, options, async (resources, tx) => {
    const resource = findResource(resources, options.resourceId);
    if (resource.type === "github_repository") await tx.sessionRepository.deleteMany({ where: { id: options.resourceId, sessionId: options.sessionId } });
    return { resources: resources.filter((r) => r !== resource), result: { id: options.resourceId, type: "session_resource_deleted" as const } };
  });
}
