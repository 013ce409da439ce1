import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";

/** A session's resources as its record keeps them (each an object with a `type`, most with an `id`). */
export type TStoredResource = Record<string, unknown> & { type: string; id?: string };

type TTx = Prisma.TransactionClient;

function sessionNotFound(sessionId: string): AppError {
  return new AppError("not_found", `session ${sessionId.slice(0, 64)} not found`);
}

export function resourceNotFound(resourceId: string): AppError {
  return new AppError("not_found", `session resource ${resourceId.slice(0, 64)} not found`);
}

/** The resource `resourceId` among `resources`, or 404. */
export function findResource(resources: readonly TStoredResource[], resourceId: string): TStoredResource {
  const found = resources.find((r) => typeof r.id === "string" && r.id === resourceId);
  if (!found) throw resourceNotFound(resourceId);
  return found;
}

export function storedResources(value: unknown): TStoredResource[] {
  return Array.isArray(value) ? (value.filter((r) => r && typeof r === "object" && typeof (r as { type?: unknown }).type === "string") as TStoredResource[]) : [];
}

/**
 * Changes a session's resources in one transaction holding its row locked (`SELECT … FOR UPDATE`),
 * so two changes at once do not lose one another: the team's session (404 otherwise, the same for
 * another team's id), not archived nor terminated (400: their resources are final). `change` gets
 * the resources as they are and returns them as they become (written back unless it returns the
 * same array) and the answer; it may write related rows with `tx` (repository tokens). An error
 * thrown by it writes nothing.
 */
export async function changeSessionResources<T>(
  prisma: PrismaClient,
  options: { teamId: string; sessionId: string },
  change: (resources: TStoredResource[], tx: TTx) => Promise<{ resources: TStoredResource[]; result: T }>,
): Promise<T> {
  if (!isId("session", options.sessionId)) throw sessionNotFound(options.sessionId);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ teamId: string; status: string; archivedAt: Date | null; resources: unknown }>>`
      SELECT "teamId", "status", "archivedAt", "resources" FROM "Session" WHERE "id" = ${options.sessionId} FOR UPDATE`;
    const session = rows[0];
    if (!session || session.teamId !== options.teamId) throw sessionNotFound(options.sessionId);
    if (session.archivedAt) throw new AppError("invalid_request", `session ${options.sessionId} is archived: its resources cannot change`);
    if (session.status === "terminated") throw new AppError("invalid_request", `session ${options.sessionId} is terminated: its resources cannot change`);
    const before = storedResources(typeof session.resources === "string" ? JSON.parse(session.resources) : session.resources);
    const { resources, result } = await change(before, tx);
    if (resources !== before) {
      await tx.session.update({ where: { id: options.sessionId }, data: { resources: resources as Prisma.InputJsonValue[] }, select: { id: true } });
    }
    return result;
  });
}
