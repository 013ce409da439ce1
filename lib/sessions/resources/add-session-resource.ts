import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseWith } from "@/lib/resource/parse";
import type { VaultCipher } from "@/lib/vault/cipher";
import { ZResourceAddSchema } from "../schemas";
import { prepareSessionMemoryStores } from "../session-memory-stores";
import { newResourceId, prepareSessionRepositories } from "../session-repositories";
import { changeSessionResources, type TStoredResource } from "./change-session-resources";
import { prepareSessionFiles } from "./session-files";

/** The mount paths a session's files and repositories use, which a new one may not clash with. */
function takenPaths(resources: readonly TStoredResource[]) {
  return resources.flatMap((r) =>
    (r.type === "file" || r.type === "github_repository") && typeof r.mount_path === "string" ? [{ mountPath: r.mount_path, kind: r.type as "file" | "github_repository" }] : [],
  );
}

/**
 * `POST /v1/sessions/{id}/resources`: adds a resource to the session, checked as at creation.
 * Refused for an archived or terminated session (400). Each appears in the session's sandbox at
 * its next tool call, in a sandbox that is running already too:
 * - a file (SDK 1.17): the team's, not expired, at a mount path under /workspace not used by
 *   another of its files nor inside one of its repositories; copied in by lib/harness/file-resources.ts;
 * - a memory_store (the platform's extension): the team's store, not archived, not mounted in the
 *   session already; mounted at `/mnt/memory/<name>` by lib/harness/session-attachments.ts, and
 *   told of in the system prompt from the session's next wake;
 * - a github_repository (the platform's extension): its mount path under /workspace not inside or
 *   around another repository or a file of the session; its token sealed into its own row in the
 *   same transaction; cloned on the host into the workspace (lib/harness/session-attachments.ts).
 */
export async function addSessionResource(deps: { prisma: PrismaClient; cipher: () => VaultCipher }, options: { teamId: string; sessionId: string; body: unknown }) {
  const input = parseWith(ZResourceAddSchema, options.body);
  return changeSessionResources(deps.prisma, options, async (resources, tx) => {
    let added: TStoredResource;
    if (input.type === "memory_store") {
      const existing = resources.flatMap((r) =>
        r.type === "memory_store" && typeof r.memory_store_id === "string" && typeof r.mount_path === "string" ? [{ memory_store_id: r.memory_store_id, mount_path: r.mount_path }] : [],
      );
      const [store] = await prepareSessionMemoryStores(tx, options.teamId, [{ index: 0, resource: input }], { existing, field: () => "" });
      added = { id: newResourceId(), ...store! };
    } else if (input.type === "github_repository") {
      const last = await tx.sessionRepository.findFirst({ where: { sessionId: options.sessionId }, orderBy: { position: "desc" }, select: { position: true } });
      const prepared = prepareSessionRepositories([{ index: 0, resource: input }], {
        sessionId: options.sessionId,
        cipher: deps.cipher,
        taken: takenPaths(resources),
        firstPosition: (last?.position ?? -1) + 1,
        field: () => "",
      });
      await tx.sessionRepository.create({ data: { ...prepared.rows[0]!, checkout: prepared.rows[0]!.checkout ?? undefined, sessionId: options.sessionId } });
      added = prepared.wire[0]!;
    } else {
      const [file] = await prepareSessionFiles(tx, { teamId: options.teamId, inputs: [{ field: "", resource: input }], taken: takenPaths(resources) });
      added = file!;
    }
    return { resources: [...resources, added], result: added };
  });
}
