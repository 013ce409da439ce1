import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { listShareLinks } from "./list-share-links";
import type { TShareLink } from "./share-link-to-wire";

/** A share link as the session view lists it: with the name of who made it (a member or an API key). */
export type TShareLinkRow = TShareLink & { created_by_name?: string | null };

/** The share links of a session of the team, newest first, each with who made it, when, and its views. */
export async function listShareLinkRows(deps: { prisma: PrismaClient }, options: { teamId: string; sessionId: string }): Promise<TShareLinkRow[]> {
  const links = await listShareLinks(deps, options);
  const ids = [...new Set(links.flatMap((link) => (link.created_by ? [link.created_by] : [])))];
  const userIds = ids.filter((id) => isId("user", id));
  const keyIds = ids.filter((id) => isId("apiKey", id));
  const [users, keys] = await Promise.all([
    userIds.length > 0 ? deps.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    keyIds.length > 0 ? deps.prisma.apiKey.findMany({ where: { id: { in: keyIds }, teamId: options.teamId }, select: { id: true, name: true } }) : [],
  ]);
  const names = new Map<string, string>([...users.map((u) => [u.id, u.name] as const), ...keys.map((k) => [k.id, `API key · ${k.name}`] as const)]);
  return links.map((link) => ({ ...link, created_by_name: link.created_by ? (names.get(link.created_by) ?? null) : null }));
}
