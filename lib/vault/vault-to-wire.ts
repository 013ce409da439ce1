import "server-only";
import type { Vault } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";

/** The Vault object of the Managed Agents API (reference §2.8). */
export function vaultToWire(vault: Vault) {
  return {
    id: vault.id,
    type: "vault" as const,
    display_name: vault.displayName,
    metadata: metadataFromJson(vault.metadata),
    created_at: vault.createdAt.toISOString(),
    updated_at: vault.updatedAt.toISOString(),
    archived_at: vault.archivedAt?.toISOString() ?? null,
  };
}

export type TWireVault = ReturnType<typeof vaultToWire>;
