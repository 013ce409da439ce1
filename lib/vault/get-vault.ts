import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findTeamVault } from "./find-team-vault";
import { vaultToWire } from "./vault-to-wire";

/** `GET /v1/vaults/{id}` (archived vaults too). */
export async function getVault(prisma: PrismaClient, options: { teamId: string; vaultId: string }) {
  return vaultToWire(await findTeamVault(prisma, options.teamId, options.vaultId));
}
