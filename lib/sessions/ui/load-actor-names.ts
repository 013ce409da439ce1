import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TEventActor } from "@/lib/event-log/events";
import type { TActorNames } from "@/lib/timeline/actor-label";

/**
 * The names the session page shows beside client events (`actorLabel`), read when the page loads:
 * the team's current members (who may send while the page is open), the users the log names (a
 * member since removed keeps their name on what they sent), and the team's API keys, revoked ones
 * included. Only this team's keys and only display names: never an email, never another team's key.
 */
export async function loadActorNames(prisma: PrismaClient, options: { teamId: string; actors: readonly TEventActor[] }): Promise<TActorNames> {
  const logged = [...new Set(options.actors.flatMap((a) => (a.kind === "member" ? [a.userId] : [])))];
  const [users, keys] = await Promise.all([
    prisma.user.findMany({
      where: { OR: [{ memberships: { some: { teamId: options.teamId } } }, ...(logged.length > 0 ? [{ id: { in: logged } }] : [])] },
      select: { id: true, name: true },
    }),
    prisma.apiKey.findMany({ where: { teamId: options.teamId, environmentId: null }, select: { id: true, name: true } }),
  ]);
  return {
    members: Object.fromEntries(users.map((u) => [u.id, u.name])),
    apiKeys: Object.fromEntries(keys.map((k) => [k.id, k.name])),
  };
}
