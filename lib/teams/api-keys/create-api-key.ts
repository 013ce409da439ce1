import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId, newSecretToken } from "@/lib/ids";
import { API_KEY_PREFIX, apiKeyHint, hashApiKey } from "./hash-api-key";

/**
 * Creates a team API key, or with `environmentId` an environment key (its workers poll that one
 * self-hosted environment's work queue with it, and it authorizes nothing else; the caller checks
 * the environment is the team's). The key itself is returned once, here, and never stored.
 */
export async function createApiKey(
  prisma: PrismaClient,
  options: { teamId: string; name: string; createdBy?: string; key?: string; environmentId?: string },
): Promise<{ id: string; key: string; hint: string }> {
  const key = options.key ?? newSecretToken(API_KEY_PREFIX);
  const id = newId("apiKey");
  await prisma.apiKey.create({
    data: { id, teamId: options.teamId, name: options.name, keyHash: hashApiKey(key), hint: apiKeyHint(key), createdBy: options.createdBy ?? null, environmentId: options.environmentId ?? null },
  });
  return { id, key, hint: apiKeyHint(key) };
}
