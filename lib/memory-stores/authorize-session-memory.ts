import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { TMemoryActor } from "./memory-actor";

/**
 * What a self-hosted worker's item token may do with a memory store: what its session may. The
 * SDK's worker syncs a session's memory stores through the memory API with the item's token (the
 * memory endpoints reject an environment key), so the token reads the stores its session names
 * among its resources and writes those it names `read_write`; any other store is a 403, and a write
 * to a read-only one too, nothing changed. Its writes are the session's (`session_actor`), as the
 * platform's own sandboxes record theirs.
 */
export async function authorizeSessionMemory(
  prisma: Pick<PrismaClient, "session">,
  options: { teamId: string; sessionId: string; storeId: string; write: boolean },
): Promise<TMemoryActor> {
  const session = await prisma.session.findFirst({ where: { id: options.sessionId, teamId: options.teamId }, select: { resources: true } });
  const resources = Array.isArray(session?.resources) ? (session.resources as unknown[]) : [];
  const entry = resources.find((r): r is { access?: unknown } => {
    const resource = r as { type?: unknown; memory_store_id?: unknown } | null;
    return resource?.type === "memory_store" && resource.memory_store_id === options.storeId;
  });
  const store = options.storeId.slice(0, 128);
  if (!entry) throw new AppError("forbidden", `This token is scoped to session ${options.sessionId}, which does not mount memory store ${store}.`);
  if (options.write && entry.access === "read_only") {
    throw new AppError("forbidden", `Session ${options.sessionId} mounts memory store ${store} read-only: this token cannot write to it.`);
  }
  return { type: "session_actor", id: options.sessionId };
}
