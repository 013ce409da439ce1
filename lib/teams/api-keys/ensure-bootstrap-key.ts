import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { isUniqueViolation } from "../unique-violation";
import { createApiKey } from "./create-api-key";
import { hashApiKey } from "./hash-api-key";

export const BOOTSTRAP_TEAM_SLUG = "default";

/**
 * With BOOTSTRAP_API_KEY set, boot makes sure a team `default` exists and that this key
 * authenticates it (for scripts and CI on a fresh install). Idempotent, and safe when several
 * processes boot at once with the same key: whichever creates the team or the key first wins, and
 * the others find what it created instead of failing on the unique constraint.
 */
export async function ensureBootstrapKey(prisma: PrismaClient, key: string): Promise<{ teamId: string }> {
  const team = await findOrCreateTeam(prisma);
  const existing = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!existing) {
    try {
      await createApiKey(prisma, { teamId: team.id, name: "bootstrap (BOOTSTRAP_API_KEY)", key });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another process created it meanwhile
    }
  }
  return { teamId: team.id };
}

async function findOrCreateTeam(prisma: PrismaClient): Promise<{ id: string }> {
  const found = await prisma.team.findUnique({ where: { slug: BOOTSTRAP_TEAM_SLUG } });
  if (found) return found;
  try {
    return await prisma.team.create({ data: { id: newId("team"), slug: BOOTSTRAP_TEAM_SLUG, name: "Default team" } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // another process created it between the look-up and the insert
    const created = await prisma.team.findUnique({ where: { slug: BOOTSTRAP_TEAM_SLUG } });
    if (!created) throw error;
    return created;
  }
}
