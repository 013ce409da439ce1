import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { emptyPackages } from "@/lib/sandbox/environment-config";

/** Marks the environment dreams run in (`metadata`), per team. */
const MARK = { "oma.platform": "dreams" };

/**
 * The environment a team's dreams run in (a session needs one; the dreams API names none).
 * Decision: one per team, made by the platform on the first dream, with no network at all and
 * the installation's default sandbox provider, and created archived: it stays out of the team's
 * environment lists and pickers (and a new session cannot choose it), while the dreams' sessions,
 * created by the platform, still run in it. Two first dreams at once may make two; either serves.
 */
export async function dreamEnvironmentId(prisma: Pick<PrismaClient, "environment">, teamId: string): Promise<string> {
  const found = await prisma.environment.findFirst({ where: { teamId, metadata: { equals: MARK } }, orderBy: { id: "asc" }, select: { id: true } });
  if (found) return found.id;
  const now = new Date();
  const created = await prisma.environment.create({
    data: {
      id: newId("environment"),
      teamId,
      name: "Dreams",
      description: "Runs the team's dreams (made by the platform; no network).",
      config: { type: "cloud", networking: { type: "limited", allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false }, packages: emptyPackages() } as Prisma.InputJsonObject,
      metadata: MARK,
      archivedAt: now,
    },
    select: { id: true },
  });
  return created.id;
}
