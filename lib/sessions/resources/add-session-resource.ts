import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseWith } from "@/lib/resource/parse";
import { ZResourceAddSchema } from "../schemas";
import { changeSessionResources } from "./change-session-resources";
import { prepareSessionFiles } from "./session-files";

/**
 * `POST /v1/sessions/{id}/resources`: adds a file to the session (only files can be added later,
 * as in SDK 1.17), checked as at creation (the team's file, not expired; a mount path under
 * /workspace not used by another of its files or inside one of its repositories). The harness
 * copies it into the session's sandbox before the next tool call (lib/harness/file-resources.ts),
 * into a running sandbox too. Refused for an archived or terminated session (400).
 */
export async function addSessionResource(deps: { prisma: PrismaClient }, options: { teamId: string; sessionId: string; body: unknown }) {
  const input = parseWith(ZResourceAddSchema, options.body);
  return changeSessionResources(deps.prisma, options, async (resources) => {
    const taken = resources.flatMap((r) =>
      (r.type === "file" || r.type === "github_repository") && typeof r.mount_path === "string" ? [{ mountPath: r.mount_path, kind: r.type as "file" | "github_repository" }] : [],
    );
    const [added] = await prepareSessionFiles(deps.prisma, { teamId: options.teamId, inputs: [{ field: "", resource: input }], taken });
    return { resources: [...resources, added!], result: added! };
  });
}
