import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { TMemoryMount } from "@/lib/harness/memory-mounts";
import type { SessionMemory, TMemoryChange, TMemoryChangeOutcome } from "@/lib/harness/session-memory";
import { createMemory } from "./create-memory";
import { deleteMemory } from "./delete-memory";
import { findTeamMemoryStore } from "./find-team-memory-store";
import type { TMemoryActor } from "./memory-actor";
import { updateMemory } from "./update-memory";

/**
 * The harness's view of memory stores (`SessionMemory`) over the database: a session reads the
 * stores it mounts, and what it writes goes through the same use-cases as the API's writes
 * (createMemory, updateMemory, deleteMemory: validation, the store's lock, one version per write),
 * recorded as written by the session (`session_actor`). The store must still be one of the
 * session's team's.
 *
 * How a change maps to the API: a new file is `createMemory` (a path someone else took meanwhile is
 * a 409: a conflict); a changed file is `updateMemory` with the content the session was given as
 * `content_sha256` precondition (409 when someone else changed it; the memory gone is a conflict
 * too); a removed file is `deleteMemory` with `expected_content_sha256` (already gone: nothing to do).
 * Any other refusal of the API (a path it does not accept, over 100 kB, an archived store) is
 * reported with the API's message.
 */
export function createPrismaSessionMemory(prisma: PrismaClient): SessionMemory {
  const teamOf = async (sessionId: string) => {
    const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { teamId: true } });
    if (!session) throw new AppError("not_found", `session ${sessionId} not found`);
    return session.teamId;
  };
  const memoryAt = (storeId: string, path: string) => prisma.memory.findFirst({ where: { storeId, path }, select: { id: true } });

  return {
    async read(sessionId, mount) {
      const store = await findTeamMemoryStore(prisma, await teamOf(sessionId), mount.storeId);
      const rows = await prisma.memory.findMany({
        where: { storeId: store.id },
        orderBy: { path: "asc" },
        select: { path: true, currentVersion: { select: { content: true, contentSha256: true } } },
      });
      return rows.map((r) => ({ path: r.path, content: r.currentVersion.content ?? "", sha256: r.currentVersion.contentSha256 ?? "" }));
    },

    async apply(sessionId, mount: TMemoryMount, change: TMemoryChange): Promise<TMemoryChangeOutcome> {
      const teamId = await teamOf(sessionId);
      const actor: TMemoryActor = { type: "session_actor", id: sessionId };
      const target = { teamId, storeId: mount.storeId, actor };
      // a store gone (deleted, or no longer the team's) is an error for the caller to report, not a conflict
      await findTeamMemoryStore(prisma, teamId, mount.storeId);
      try {
        if (change.type === "put" && change.expectedSha256 === null) {
          await createMemory(prisma, { ...target, body: { path: change.path, content: change.content } });
          return { status: "saved" };
        }
        const memory = await memoryAt(mount.storeId, change.path);
        if (change.type === "delete") {
          if (!memory) return { status: "saved" };
          await deleteMemory(prisma, { ...target, memoryId: memory.id, query: new URLSearchParams({ expected_content_sha256: change.expectedSha256 }) });
          return { status: "saved" };
        }
        if (!memory) return { status: "conflict" };
        const body = { content: change.content, precondition: { type: "content_sha256", content_sha256: change.expectedSha256 } };
        await updateMemory(prisma, { ...target, memoryId: memory.id, body });
        return { status: "saved" };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === "conflict" || error.code === "not_found") return { status: "conflict" };
        return { status: "refused", reason: error.message };
      }
    },
  };
}
