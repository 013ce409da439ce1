import type { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseNow } from "./database-now";
import { hashWorkToken, WORK_TOKEN_PREFIX } from "./work-token";

/** What a live work item's token may act for: its one item and its one session. */
export type TWorkPrincipal = { teamId: string; environmentId: string; workId: string; sessionId: string };

/**
 * The item a session token belongs to, or null: an unknown token, or one whose item stopped, was
 * handed to another worker by a later poll (a new token replaced it) or whose lease ran out. A
 * worker whose lease is gone therefore can neither read the session nor post results to it.
 */
export async function authenticateWorkToken(prisma: PrismaClient, token: string): Promise<TWorkPrincipal | null> {
  if (!token.startsWith(WORK_TOKEN_PREFIX) || token.length > 256) return null;
  // the lease is the database clock's (database-now.ts): both asked at once, one round trip's wait
  const [row, now] = await Promise.all([
    prisma.environmentWork.findUnique({
      where: { tokenHash: hashWorkToken(token) },
      select: { id: true, environmentId: true, sessionId: true, state: true, leaseExpiresAt: true, environment: { select: { teamId: true } } },
    }),
    databaseNow(prisma),
  ]);
  if (!row || row.state === "stopped") return null;
  if (row.leaseExpiresAt && row.leaseExpiresAt.getTime() < now.getTime()) return null;
  return { teamId: row.environment.teamId, environmentId: row.environmentId, workId: row.id, sessionId: row.sessionId };
}
