import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { createApiKey } from "./create-api-key";
import { hashApiKey } from "./hash-api-key";

export const BOOTSTRAP_TEAM_SLUG = "default";

/**
 * With BOOTSTRAP_API_KEY set, boot makes sure a team `default` exists and that this key
 * authenticates it (for scripts and CI on a fresh install). Idempotent.
 */
export async function ensureBootstrapKey(prisma: PrismaClient, key: string): Promise<{ teamId: string }> {
  let team = await prisma.team.findUnique({ where: { slug: BOOTSTRAP_TEAM_SLUG } });
  team ??= await prisma.team.create({ data: { id: newId("team"), slug: BOOTSTRAP_TEAM_SLUG, name: "Default team" } });
  const existing = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!existing) await createApiKey(prisma, { teamId: team.id, name: "bootstrap (BOOTSTRAP_API_KEY)", key });
  return { teamId: team.id };
}
