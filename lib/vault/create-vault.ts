import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseBody } from "@/lib/resource/metadata";
import { newId } from "@/lib/ids";
import { ZVaultCreateSchema } from "./schemas";
import { vaultToWire } from "./vault-to-wire";

/** `POST /v1/vaults`. */
export async function createVault(prisma: PrismaClient, options: { teamId: string; body: unknown }) {
  const input = parseBody(ZVaultCreateSchema, options.body);
  const vault = await prisma.vault.create({
    data: { id: newId("vault"), teamId: options.teamId, displayName: input.display_name, metadata: input.metadata ?? {} },
  });
  return vaultToWire(vault);
}
